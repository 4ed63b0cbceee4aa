namespace MultiArchContainers.Tasks;

/// <summary>
/// The annotation inputs shared by the tasks that build an index (PlanMultiArch, MergeImageIndex): the three item
/// types, the <c>ContainerAnnotations</c> string and the generated values.
/// </summary>
public abstract class AnnotatingTask : MultiArchTask
{
    /// <summary>The <c>ContainerIndexAnnotation</c> items: Include is the key, <c>Value</c> the value.</summary>
    public ITaskItem[] IndexAnnotations { get; set; } = [];

    /// <summary>The <c>ContainerManifestAnnotation</c> items; optional <c>Platform</c> or <c>RuntimeIdentifier</c> metadata.</summary>
    public ITaskItem[] ManifestAnnotations { get; set; } = [];

    /// <summary>The <c>ContainerDescriptorAnnotation</c> items; optional <c>Platform</c> or <c>RuntimeIdentifier</c> metadata.</summary>
    public ITaskItem[] DescriptorAnnotations { get; set; } = [];

    /// <summary>
    /// The <c>ContainerAnnotation</c> items, the .NET SDK's shape: Include is the key, <c>Value</c> the value,
    /// <c>Scope</c> the levels (<see cref="AnnotationScope"/>; the index when left out); optional <c>Platform</c> or
    /// <c>RuntimeIdentifier</c> metadata as on the other item types.
    /// </summary>
    public ITaskItem[] Annotations { get; set; } = [];

    /// <summary>The <c>ContainerAnnotations</c> property: <c>type[,type][platform]:key=value</c> entries separated by ';'.</summary>
    public string AnnotationString { get; set; } = string.Empty;

    /// <summary>ContainerImageFormat as the user set it; Docker cannot carry annotations.</summary>
    public string ImageFormat { get; set; } = string.Empty;

    /// <summary>Generated annotations for the index and every manifest (Include key, <c>Value</c>); user values win.</summary>
    public ITaskItem[] GeneratedAnnotations { get; set; } = [];

    /// <summary>Generate <c>org.opencontainers.image.created</c> (the build time: SOURCE_DATE_EPOCH, the commit time of HEAD, or now).</summary>
    public bool GenerateCreated { get; set; }

    /// <summary>Generate <c>org.opencontainers.image.revision</c> (from <see cref="SourceRevisionId"/>, else git HEAD).</summary>
    public bool GenerateRevision { get; set; }

    /// <summary>The commit, when the build knows it.</summary>
    public string SourceRevisionId { get; set; } = string.Empty;

    /// <summary>The project folder, where the search for a git work tree starts.</summary>
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>SOURCE_DATE_EPOCH: seconds since 1970-01-01 UTC.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

    /// <summary>ContainerReproducible: without SOURCE_DATE_EPOCH, take the commit time of HEAD (true) or now (false).</summary>
    public bool Reproducible { get; set; } = true;

    /// <summary>The time of this publish (<see cref="BuildTime"/>), resolved once.</summary>
    private protected BuildTime Time => _time ??= Resolve();

    private BuildTime? _time;

    private BuildTime Resolve()
    {
        BuildTime time = BuildTime.Resolve(SourceDateEpoch, ProjectDirectory, Reproducible, () => DateTimeOffset.UtcNow);
        Detail(MessageImportance.Normal, time.Source switch
        {
            BuildTimeSource.SourceDateEpoch => $"Every timestamp in the images is {Timestamps.Format(time.Value)} (SOURCE_DATE_EPOCH).",
            BuildTimeSource.GitCommit => $"Every timestamp in the images is {Timestamps.Format(time.Value)}, the commit time of HEAD: the images are reproducible.",
            _ => "The images carry the current time and are not reproducible: build in a git repository, or set SOURCE_DATE_EPOCH (for example to git log -1 --format=%ct).",
        });
        return time;
    }

    /// <summary>Whether generated values go on every manifest too (a publish) or on the index only (a merge).</summary>
    protected virtual bool GenerateForManifests => true;

    protected bool DockerFormat => ImageFormat.Equals("Docker", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every declaration: the three item types, the string, and the generated values for index and manifests.</summary>
    private protected List<AnnotationInput> AllAnnotations()
    {
        var inputs = new List<AnnotationInput>();
        inputs.AddRange(AnnotationItems.ToAnnotations("ContainerIndexAnnotation", AnnotationLevel.Index, IndexAnnotations));
        inputs.AddRange(AnnotationItems.ToAnnotations("ContainerManifestAnnotation", AnnotationLevel.Manifest, ManifestAnnotations));
        inputs.AddRange(AnnotationItems.ToAnnotations("ContainerDescriptorAnnotation", AnnotationLevel.ManifestDescriptor, DescriptorAnnotations));
        foreach (ITaskItem item in Annotations)
        {
            try
            {
                foreach (AnnotationLevel level in AnnotationScope.Parse(item.GetMetadata("Scope"), $"ContainerAnnotation item '{item.ItemSpec}'"))
                {
                    inputs.AddRange(AnnotationItems.ToAnnotations("ContainerAnnotation", level, [item]));
                }
            }
            catch (MultiArchException ex)
            {
                // Reported with the other declaration errors, so one run names them all.
                Report(ex.Diagnostic);
            }
        }

        inputs.AddRange(Oci.Annotations.AnnotationString.Parse(AnnotationString, Report));
        DateTimeOffset? created = GenerateCreated ? Time.Value : null;
        string? revision = !GenerateRevision ? null
            : SourceRevisionId.Length > 0 ? SourceRevisionId
            : ProjectDirectory.Length > 0 ? GitRevision.Find(ProjectDirectory) : null;
        inputs.AddRange(Oci.Annotations.GeneratedAnnotations.For(
            GeneratedAnnotations.Select(i => (i.ItemSpec, i.GetMetadata(ItemMetadata.Value))), created, revision, GenerateForManifests));
        return inputs;
    }
}
