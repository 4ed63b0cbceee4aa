namespace MultiArchContainers.Oci.Annotations;

/// <summary>
/// The <c>Scope</c> of a <c>ContainerAnnotation</c> item, the shape the .NET SDK's annotation design gives one item
/// for every level: <c>Manifest</c>, <c>Index</c>, <c>ManifestDescriptor</c> or <c>IndexDescriptor</c>, several
/// separated by ',' or ';', in any case. A multi-platform publish puts an item without a scope on the index, as the
/// SDK does for a multi-platform image.
/// </summary>
internal static class AnnotationScope
{
    private static readonly Dictionary<string, AnnotationLevel> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Manifest"] = AnnotationLevel.Manifest,
        ["Index"] = AnnotationLevel.Index,
        ["ManifestDescriptor"] = AnnotationLevel.ManifestDescriptor,
        ["IndexDescriptor"] = AnnotationLevel.IndexDescriptor,
    };

    /// <summary>The levels <paramref name="scope"/> names, each once, in the order written; MAC2027 for a name that is none.</summary>
    /// <param name="scope">The Scope metadata as written.</param>
    /// <param name="source">What declared it, for the error (for example "ContainerAnnotation item 'com.example.a'").</param>
    public static IReadOnlyList<AnnotationLevel> Parse(string? scope, string source)
    {
        string[] names = (scope ?? string.Empty).Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return [AnnotationLevel.Index];
        }

        var levels = new List<AnnotationLevel>();
        foreach (string name in names)
        {
            if (!Names.TryGetValue(name, out AnnotationLevel level))
            {
                throw new MultiArchException(MessageIds.AnnotationScopeInvalid, source, scope, name);
            }

            if (!levels.Contains(level))
            {
                levels.Add(level);
            }
        }

        return levels;
    }
}
