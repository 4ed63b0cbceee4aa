using Microsoft.Build.Framework;
using MultiArchContainers.Oci;

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
        inputs.AddRange(Oci.AnnotationString.Parse(AnnotationString, Report));
        inputs.AddRange(Generated().SelectMany(v => new[] { AnnotationLevel.Index, AnnotationLevel.Manifest }
            .Select(level => new AnnotationInput("generated", level, v.Key, v.Value) { IsGenerated = true })));
        return inputs;
    }

    private IEnumerable<(string Key, string Value)> Generated()
    {
        var values = new List<(string Key, string Value)>();
        values.AddRange(GeneratedAnnotations
            .Where(i => i.GetMetadata(ItemMetadata.Value).Length > 0)
            .Select(i => (i.ItemSpec, i.GetMetadata(ItemMetadata.Value))));
        if (GenerateCreated && CreatedTimestamp(SourceDateEpoch, Report) is { } created)
        {
            values.Add((Annotations.CreatedKey, created));
        }

        if (GenerateRevision)
        {
            string? revision = SourceRevisionId.Length > 0 ? SourceRevisionId
                : ProjectDirectory.Length > 0 ? GitRevision.Find(ProjectDirectory) : null;
            if (!string.IsNullOrEmpty(revision))
            {
                values.Add(("org.opencontainers.image.revision", revision));
            }
        }

        return values;
    }

    private static string? CreatedTimestamp(string sourceDateEpoch, Action<Diagnostic> report)
    {
        if (sourceDateEpoch.Length == 0)
        {
            return Annotations.FormatTimestamp(DateTimeOffset.UtcNow);
        }

        if (!long.TryParse(sourceDateEpoch, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds))
        {
            report(Diagnostic.Error(MessageIds.SourceDateEpochInvalid, sourceDateEpoch));
            return null;
        }

        return Annotations.FormatTimestamp(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}
