using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Annotations;
using MultiArchContainers.Oci.Attest;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Plan;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Report;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Collects each per-RID image archive (an OCI layout tarball written by the .NET SDK, <see cref="PlatformImageCollector"/>)
/// and pushes it to the target repository by digest, without a tag, or keeps it for an archive.
/// </summary>
public sealed class PushPlatformImages : MultiArchTask
{
    /// <summary>Archive paths, each with <c>RuntimeIdentifier</c> metadata.</summary>
    [Required]
    public ITaskItem[] Archives { get; set; } = [];

    /// <summary>The registry to push to (host[:port]); not used with <see cref="ArchiveOnly"/>.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>Prepare the images for an OCI archive instead of pushing them; items carry <c>LayoutRoot</c>.</summary>
    public bool ArchiveOnly { get; set; }

    /// <summary>The repository to push to.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Repositories in the same registry whose blobs may be mounted instead of uploaded (the base image's).</summary>
    public string[] MountFrom { get; set; } = [];

    /// <summary>The plan PlanMultiArch wrote; its manifest annotations are written into each manifest.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>Add <c>org.opencontainers.image.base.name</c> to each manifest (from the image's base label, else <see cref="BaseImage"/>).</summary>
    public bool GenerateBaseName { get; set; }

    /// <summary>Add <c>org.opencontainers.image.base.digest</c> to each manifest (from the image's base digest label).</summary>
    public bool GenerateBaseDigest { get; set; }

    /// <summary>The base image reference, for the generated base name.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>Without a plan, SOURCE_DATE_EPOCH: when set, each image is rewritten so that its digest depends only on its content. With a plan, the plan's time decides.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

    /// <summary>When set (one image, with <see cref="ArchiveOnly"/>): also write the image as an OCI archive here (a build node's answer).</summary>
    public string TransferArchivePath { get; set; } = string.Empty;

    /// <summary>When set (one image only): where to write the image's descriptor and repository as JSON.</summary>
    public string MetadataFile { get; set; } = string.Empty;

    /// <summary>ContainerSbom: an SPDX 2.3 SBOM of each image, in its attestation manifest.</summary>
    public bool Sbom { get; set; }

    /// <summary>ContainerProvenance: a SLSA provenance v1 statement of each image, in its attestation manifest.</summary>
    public bool Provenance { get; set; }

    /// <summary>The facts of the attestations, as <c>Name=Value</c> items (<see cref="AttestationFacts"/>).</summary>
    public ITaskItem[] AttestationFacts { get; set; } = [];

    /// <summary>Where the archives are unpacked.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>One item per image (<see cref="PlatformImageItems"/>).</summary>
    [Output]
    public ITaskItem[] PushedImages { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        PublishPlan plan = PublishPlan.Read(PlanFile);
        AnnotationSet annotations = plan.AnnotationSet();
        var options = new CollectOptions(Archives.Select(a => a.GetMetadata(ItemMetadata.RuntimeIdentifier)).Distinct()
            .ToDictionary(rid => rid, rid => annotations.For(AnnotationLevel.Manifest, rid)))
        {
            Epoch = PlanFile.Length > 0 ? plan.EpochTime : Timestamps.ParseSourceDateEpoch(SourceDateEpoch),
            GenerateBaseName = GenerateBaseName,
            GenerateBaseDigest = GenerateBaseDigest,
            BaseImage = BaseImage,
        };
        var archives = Archives.Select(a => (a.GetMetadata(ItemMetadata.RuntimeIdentifier), a.ItemSpec)).ToList();
        List<(string Rid, OciLayoutImage Image)> layouts = PlatformImageCollector.CollectAll(archives, WorkingDirectory, options, nameof(PushPlatformImages), Report);
        if (Log.HasLoggedErrors)
        {
            return;
        }

        AttestationRequest? request = Tasks.AttestationFacts.Request(Sbom, Provenance, AttestationFacts, Registry.Length > 0 && !ArchiveOnly ? $"{Registry}/{Repository}" : Repository, plan.EpochTime);
        var attested = layouts.Select(l => (l.Rid, l.Image, Attestation: request?.Attest(l.Image, l.Rid))).ToList();
        if (ArchiveOnly)
        {
            PushedImages = attested.SelectMany(a => KeepForArchive(a.Rid, a.Image, a.Attestation)).ToArray();
            return;
        }

        using var client = CreateClient(Registry, Registry);
        var pusher = new ImagePusher(client, Info);
        string[] mountFrom = MountFrom.Where(m => m.Length > 0).ToArray();
        (PlatformImage Image, PlatformImage? Attestation)[] pushed = await Task.WhenAll(attested.Select(async a =>
        {
            PlatformImage image = await pusher.PushAsync(a.Rid, a.Image, Repository, mountFrom, cancellationToken).ConfigureAwait(false);
            return (image, a.Attestation is { } attestation
                ? await pusher.PushAttestationAsync(a.Rid, a.Image.Root, attestation, Repository, cancellationToken).ConfigureAwait(false)
                : null);
        })).ConfigureAwait(false);
        PushedImages = pushed.SelectMany(p => new[] { p.Image, p.Attestation }.OfType<PlatformImage>()).Select(i => PlatformImageItems.ToItem(i)).ToArray();
        if (MetadataFile.Length > 0 && pushed.Length == 1)
        {
            Oci.Report.MetadataFile.Write(MetadataFile, MetadataDocument.ForImage(pushed[0].Image, Registry, Repository, pushed[0].Attestation));
        }
    }

    private IEnumerable<ITaskItem> KeepForArchive(string rid, OciLayoutImage image, Attestation? attestation)
    {
        image.WriteBlob(image.ManifestBytes);
        var platformImage = new PlatformImage(rid, image.ManifestDescriptor);
        PlatformImage? attestationImage = attestation is null ? null : new PlatformImage(AttestationRequest.LabelFor(rid), attestation.Descriptor);
        if (TransferArchivePath.Length > 0)
        {
            OciArchiveWriter.WriteImage(TransferArchivePath, image, attestation is null ? null : attestation.Blobs.Append(attestation.Manifest));
        }

        if (MetadataFile.Length > 0)
        {
            Oci.Report.MetadataFile.Write(MetadataFile, MetadataDocument.ForImage(platformImage, Registry, Repository, attestationImage));
        }

        yield return PlatformImageItems.ToItem(platformImage, image.Root);
        if (attestationImage is not null)
        {
            yield return PlatformImageItems.ToItem(attestationImage, image.Root);
        }
    }
}
