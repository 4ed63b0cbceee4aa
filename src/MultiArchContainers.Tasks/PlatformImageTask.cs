using MultiArchContainers.Oci.Collect.Attest;
using MultiArchContainers.Oci.Collect;

namespace MultiArchContainers.Tasks;

/// <summary>
/// What <see cref="PushPlatformImages"/> and <see cref="CollectPlatformImages"/> share: the per-RID image archives the
/// .NET SDK wrote, and how each is collected (<see cref="PlatformImagePublisher"/>).
/// </summary>
public abstract class PlatformImageTask : MultiArchTask
{
    /// <summary>Archive paths, each with <c>RuntimeIdentifier</c> metadata (and <c>Outcome</c>, <c>ElapsedMilliseconds</c> for its line).</summary>
    [Required]
    public ITaskItem[] Archives { get; set; } = [];

    /// <summary>The registry the images are for (host[:port]).</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository the images are for.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The plan PlanMultiArch wrote; its manifest annotations are written into each manifest.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>Add <c>org.opencontainers.image.base.name</c> to each manifest (from the image's base label, else <see cref="BaseImage"/>).</summary>
    public bool GenerateBaseName { get; set; }

    /// <summary>Add <c>org.opencontainers.image.base.digest</c> to each manifest (from the image's base digest label).</summary>
    public bool GenerateBaseDigest { get; set; }

    /// <summary>The base image reference, for the generated base name and the base layers.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>Without a plan, SOURCE_DATE_EPOCH: when set, each image is rewritten so that its digest depends only on its content. With a plan, the plan's time decides.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

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

    /// <summary>One item per image and attestation manifest (<see cref="PlatformImageItems"/>).</summary>
    [Output]
    public ITaskItem[] Images { get; protected set; } = [];

    private protected IReadOnlyList<PlatformArchive> PlatformArchives =>
        Archives.Select(a => new PlatformArchive(a.GetMetadata(ItemMetadata.RuntimeIdentifier), a.ItemSpec)).ToList();

    /// <summary>The publisher of these archives; the attestations name the images <paramref name="imageName"/>.</summary>
    private protected PlatformImagePublisher CreatePublisher(string imageName, string cacheRoot = "")
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
        AttestationRequest? request = Tasks.AttestationFacts.Request(Sbom, Provenance, AttestationFacts, imageName, plan.EpochTime);
        return new PlatformImagePublisher(plan, options, request, Report)
        {
            WorkingDirectory = WorkingDirectory,
            BaseClients = PullClient,
            Consumer = GetType().Name,
            CacheRoot = cacheRoot,
        };
    }

    /// <summary>
    /// The images as items, one line per RID at the default verbosity: built (with the time of its per-RID build),
    /// reused (the image built before from the same inputs) or up to date (its build skipped), and its image; and the
    /// metadata file when one image was made.
    /// </summary>
    private protected void Finish(IReadOnlyList<PreparedPlatformImage> prepared, string? inRepository)
    {
        foreach (PreparedPlatformImage image in prepared)
        {
            string rid = image.Image.Label;
            ITaskItem? archive = Archives.FirstOrDefault(a => a.GetMetadata(ItemMetadata.RuntimeIdentifier) == rid);
            string outcome = archive?.GetMetadata(ItemMetadata.Outcome) is { Length: > 0 } known ? known : "built";
            string time = double.TryParse(archive?.GetMetadata(ItemMetadata.ElapsedMilliseconds), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds)
                ? string.Create(CultureInfo.InvariantCulture, $" in {milliseconds / 1000:0.0} s")
                : string.Empty;
            Info($"{rid}: {outcome}{time}, image {image.Image.Manifest.Digest}");
        }

        Images = prepared.SelectMany(p => new[] { p.Image, p.Attestation }.OfType<PlatformImage>()
            .Select(i => PlatformImageItems.ToItem(i, p.LayoutRoot, inRepository))).ToArray();
        if (MetadataFile.Length > 0 && prepared.Count == 1)
        {
            Oci.Report.MetadataFile.Write(MetadataFile, MetadataDocument.ForImage(prepared[0].Image, Registry, Repository, prepared[0].Attestation));
        }
    }
}
