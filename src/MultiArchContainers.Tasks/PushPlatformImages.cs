using System.Globalization;
using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Annotations;
using MultiArchContainers.Oci.Attest;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Incremental;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Model;
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

    /// <summary>The image cache (one folder per RID), where each push is recorded; empty: nothing is recorded.</summary>
    public string CacheRoot { get; set; } = string.Empty;

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
            BaseOsVersions = plan.Platforms
                .Where(p => p.BaseManifest?.Platform?.OsVersion is { Length: > 0 })
                .ToDictionary(p => p.RuntimeIdentifier, p => p.BaseManifest!.Platform!.OsVersion!),
        };
        var archives = Archives.Select(a => (Rid: a.GetMetadata(ItemMetadata.RuntimeIdentifier), Path: a.ItemSpec)).ToList();
        AttestationRequest? request = Tasks.AttestationFacts.Request(Sbom, Provenance, AttestationFacts, Registry.Length > 0 && !ArchiveOnly ? $"{Registry}/{Repository}" : Repository, plan.EpochTime);
        if (ArchiveOnly)
        {
            options = await WithBaseLayersAsync(options, plan, archives.Select(a => a.Rid), cancellationToken).ConfigureAwait(false);
            List<(string Rid, OciLayoutImage Image)> collected = PlatformImageCollector.CollectAll(
                archives, WorkingDirectory, options, nameof(PushPlatformImages), Report);
            if (!Log.HasLoggedErrors)
            {
                PushedImages = collected.SelectMany(k => KeepForArchive(k.Rid, k.Image, request?.Attest(k.Image, k.Rid))).ToArray();
                foreach ((string rid, OciLayoutImage image) in collected)
                {
                    Summarize(rid, image.ManifestDescriptor.Digest);
                }
            }

            return;
        }

        using var client = CreateClient(Registry, Registry);
        var pusher = new ImagePusher(client, line => Detail(MessageImportance.Normal, line));

        // An image whose last push made manifests the repository still holds is confirmed with a HEAD each and not
        // unpacked again; the others are collected (rewritten, annotated, attested) and pushed, and their push recorded.
        var pushed = new (PlatformImage Image, PlatformImage? Attestation)?[archives.Count];
        string?[] keys = archives.Select(a => RecordKey(a.Rid, a.Path, options, request)).ToArray();
        for (int i = 0; i < archives.Count; i++)
        {
            if (keys[i] is { } key && PushRecord.Read(RecordFolder(archives[i].Rid), key) is { } record)
            {
                pushed[i] = await pusher.ConfirmAsync(archives[i].Rid, record, Repository, cancellationToken).ConfigureAwait(false);
            }
        }

        // A kept image is unpacked where it is kept: an image's file there is never replaced (ImageStore).
        int[] remaining = Enumerable.Range(0, archives.Count).Where(i => pushed[i] is null).ToArray();
        options = await WithBaseLayersAsync(options, plan, remaining.Select(i => archives[i].Rid), cancellationToken).ConfigureAwait(false);
        List<(string Rid, OciLayoutImage Image)> layouts = PlatformImageCollector.CollectAll(remaining.Select(i => archives[i]), WorkingDirectory, options, nameof(PushPlatformImages), Report);
        if (Log.HasLoggedErrors)
        {
            return;
        }

        string[] mountFrom = MountFrom.Where(m => m.Length > 0).ToArray();
        (PlatformImage Image, PlatformImage? Attestation)[] made = await Task.WhenAll(layouts.Select(async (l, n) =>
        {
            Attestation? attestation = request?.Attest(l.Image, l.Rid);
            PlatformImage image = await pusher.PushAsync(l.Rid, l.Image, Repository, mountFrom, cancellationToken).ConfigureAwait(false);
            PlatformImage? attested = attestation is null ? null
                : await pusher.PushAttestationAsync(l.Rid, l.Image.Root, attestation, Repository, cancellationToken).ConfigureAwait(false);
            if (keys[remaining[n]] is { } key)
            {
                new PushRecord(key, image.Manifest, attested?.Manifest).Write(RecordFolder(l.Rid));
            }

            return (image, attested);
        })).ConfigureAwait(false);
        for (int n = 0; n < remaining.Length; n++)
        {
            pushed[remaining[n]] = made[n];
        }

        var results = pushed.Select(p => p!.Value).ToList();
        foreach ((PlatformImage image, _) in results)
        {
            Summarize(image.RuntimeIdentifier, image.Manifest.Digest);
        }

        PushedImages = results.SelectMany(p => new[] { p.Image, p.Attestation }.OfType<PlatformImage>())
            .Select(i => PlatformImageItems.ToItem(i, inRepository: $"{Registry}/{Repository}")).ToArray();
        if (MetadataFile.Length > 0 && results.Count == 1)
        {
            Oci.Report.MetadataFile.Write(MetadataFile, MetadataDocument.ForImage(results[0].Image, Registry, Repository, results[0].Attestation));
        }
    }

    /// <summary>
    /// The one line of a RID at the default verbosity: built (with the time of its per-RID build), reused (the image
    /// built before from the same inputs) or up to date (its build skipped), and its image; the details are at -v:n.
    /// </summary>
    private void Summarize(string rid, Digest image)
    {
        ITaskItem? archive = Archives.FirstOrDefault(a => a.GetMetadata(ItemMetadata.RuntimeIdentifier) == rid);
        string outcome = archive?.GetMetadata(ItemMetadata.Outcome) is { Length: > 0 } known ? known : "built";
        string time = double.TryParse(archive?.GetMetadata(ItemMetadata.ElapsedMilliseconds), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds)
            ? string.Create(CultureInfo.InvariantCulture, $" in {milliseconds / 1000:0.0} s")
            : string.Empty;
        Info($"{rid}: {outcome}{time}, image {image}");
    }

    private string RecordFolder(string rid) => Path.Combine(CacheRoot, rid);

    /// <summary>The base image's layers of each RID to collect, when the images are made reproducible (they stay as they are).</summary>
    private async Task<CollectOptions> WithBaseLayersAsync(CollectOptions options, PublishPlan plan, IEnumerable<string> rids, CancellationToken cancellationToken)
    {
        if (options.Epoch is null)
        {
            return options;
        }

        var layers = new Dictionary<string, IReadOnlySet<Digest>>(StringComparer.Ordinal);
        foreach (string rid in rids.Distinct(StringComparer.Ordinal))
        {
            PlannedPlatform? planned = plan.Platforms.FirstOrDefault(p => p.RuntimeIdentifier == rid);
            layers[rid] = await BaseLayers.ReadAsync(PullClient, BaseImage, planned?.BaseManifest, planned?.Platform ?? RuntimeIdentifierPlatforms.TryGetPlatform(rid), cancellationToken).ConfigureAwait(false);
        }

        return options with { BaseLayers = layers };
    }

    /// <summary>
    /// The key under which the push of <paramref name="archive"/> is recorded: what the archive holds and every setting
    /// that shapes what is pushed from it. Null without an image cache, or when the archive cannot be read (the
    /// collection then reports why).
    /// </summary>
    private string? RecordKey(string rid, string archive, CollectOptions options, AttestationRequest? request)
    {
        if (CacheRoot.Length == 0 || rid.Length == 0 || !File.Exists(archive))
        {
            return null;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["epoch"] = $"{options.Epoch?.ToUnixTimeSeconds()}",
            ["generated base annotations"] = $"{options.GenerateBaseName}/{options.GenerateBaseDigest}/{options.BaseImage}",
            ["base os.version"] = options.BaseOsVersions.GetValueOrDefault(rid) ?? string.Empty,
        };
        foreach ((string key, string value) in options.ManifestAnnotations.GetValueOrDefault(rid) ?? new Dictionary<string, string>())
        {
            settings["annotation " + key] = value;
        }

        if (request is not null)
        {
            settings["attestations"] = $"{request.Sbom}/{request.Provenance}/{request.SelfContained}/{request.AssetsPath}/{request.Artifact}";
            // Every scalar fact as the record prints it; its lists are filled per image from the archive and the
            // assets file, which the key holds already.
            settings["attestation facts"] = request.Facts.ToString();
            if (request.AssetsPath.Length > 0)
            {
                settings["assets file"] = FileState.Of(request.AssetsPath).Content;
            }
        }

        try
        {
            return PushRecord.KeyFor(archive, Registry, Repository, settings);
        }
        catch (Exception ex) when (ex is MultiArchException or IOException or UnauthorizedAccessException)
        {
            return null;
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
