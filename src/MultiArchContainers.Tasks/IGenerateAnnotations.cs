using Microsoft.Build.Framework;
using MultiArchContainers.Oci;

namespace MultiArchContainers.Tasks;

/// <summary>The inputs of generated annotations, shared by the tasks that build an index.</summary>
public interface IGenerateAnnotations
{
    ITaskItem[] GeneratedAnnotations { get; }

    bool GenerateCreated { get; }

    bool GenerateRevision { get; }

    string SourceRevisionId { get; }

    string ProjectDirectory { get; }

    string SourceDateEpoch { get; }
}

/// <summary>Turns <see cref="IGenerateAnnotations"/> into generated declarations for the index and every manifest.</summary>
internal static class GeneratedAnnotationValues
{
    public static IEnumerable<AnnotationInput> Compute(IGenerateAnnotations inputs, Action<Diagnostic> report)
    {
        var values = new List<(string Key, string Value)>();
        values.AddRange(inputs.GeneratedAnnotations
            .Where(i => i.GetMetadata(ItemMetadata.Value).Length > 0)
            .Select(i => (i.ItemSpec, i.GetMetadata(ItemMetadata.Value))));
        if (inputs.GenerateCreated && CreatedTimestamp(inputs.SourceDateEpoch, report) is { } created)
        {
            values.Add((Annotations.CreatedKey, created));
        }

        if (inputs.GenerateRevision)
        {
            string? revision = inputs.SourceRevisionId.Length > 0 ? inputs.SourceRevisionId
                : inputs.ProjectDirectory.Length > 0 ? GitRevision.Find(inputs.ProjectDirectory) : null;
            if (!string.IsNullOrEmpty(revision))
            {
                values.Add(("org.opencontainers.image.revision", revision));
            }
        }

        return values.SelectMany(v => new[] { AnnotationLevel.Index, AnnotationLevel.Manifest }
            .Select(level => new AnnotationInput("generated", level, v.Key, v.Value) { IsGenerated = true }));
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
