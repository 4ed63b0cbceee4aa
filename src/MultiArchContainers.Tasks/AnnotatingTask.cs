using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Annotations;

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

    /// <summary>The <c>ContainerAnnotations</c> property: <c>type[,type][platform]:key=value</c> entries separated by ';'.</summary>
    public string AnnotationString { get; set; } = string.Empty;

    /// <summary>ContainerImageFormat as the user set it; Docker cannot carry annotations.</summary>
    public string ImageFormat { get; set; } = string.Empty;

    /// <summary>Generated annotations for the index and every manifest (Include key, <c>Value</c>); user values win.</summary>
    public ITaskItem[] GeneratedAnnotations { get; set; } = [];

    /// <summary>Generate <c>org.opencontainers.image.created</c> (from <see cref="SourceDateEpoch"/>, else now).</summary>
    public bool GenerateCreated { get; set; }

    /// <summary>Generate <c>org.opencontainers.image.revision</c> (from <see cref="SourceRevisionId"/>, else git HEAD).</summary>
    public bool GenerateRevision { get; set; }

    /// <summary>The commit, when the build knows it.</summary>
    public string SourceRevisionId { get; set; } = string.Empty;

    /// <summary>The project folder, where the search for a git work tree starts.</summary>
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>SOURCE_DATE_EPOCH: seconds since 1970-01-01 UTC.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

    protected bool DockerFormat => ImageFormat.Equals("Docker", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every declaration: the three item types, the string, and the generated values for index and manifests.</summary>
    protected List<AnnotationInput> AllAnnotations()
    {
        var inputs = new List<AnnotationInput>();
        inputs.AddRange(ToAnnotations("ContainerIndexAnnotation", AnnotationLevel.Index, IndexAnnotations));
        inputs.AddRange(ToAnnotations("ContainerManifestAnnotation", AnnotationLevel.Manifest, ManifestAnnotations));
        inputs.AddRange(ToAnnotations("ContainerDescriptorAnnotation", AnnotationLevel.ManifestDescriptor, DescriptorAnnotations));
        inputs.AddRange(Oci.Annotations.AnnotationString.Parse(AnnotationString, Report));
        DateTimeOffset? created = GenerateCreated ? Timestamps.ParseSourceDateEpoch(SourceDateEpoch) ?? DateTimeOffset.UtcNow : null;
        string? revision = !GenerateRevision ? null
            : SourceRevisionId.Length > 0 ? SourceRevisionId
            : ProjectDirectory.Length > 0 ? GitRevision.Find(ProjectDirectory) : null;
        inputs.AddRange(Oci.Annotations.GeneratedAnnotations.For(
            GeneratedAnnotations.Select(i => (i.ItemSpec, i.GetMetadata(ItemMetadata.Value))), created, revision));
        return inputs;
    }
}
