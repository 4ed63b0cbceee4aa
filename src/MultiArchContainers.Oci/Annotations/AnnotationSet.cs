namespace MultiArchContainers.Oci.Annotations;

/// <summary>The annotations of one publish, by level and, below the index, by runtime identifier.</summary>
internal sealed class AnnotationSet
{
    private readonly Dictionary<(AnnotationLevel, string), SortedDictionary<string, string>> _maps = [];

    /// <summary>The annotations at <paramref name="level"/>; <paramref name="rid"/> for manifest and manifest-descriptor.</summary>
    public IReadOnlyDictionary<string, string> For(AnnotationLevel level, string? rid = null) =>
        _maps.TryGetValue((level, Scope(level, rid)), out SortedDictionary<string, string>? map) ? map : Empty;

    public IEnumerable<(AnnotationLevel Level, string? Rid, string Key, string Value)> All =>
        _maps.OrderBy(m => m.Key.Item1).ThenBy(m => m.Key.Item2, StringComparer.Ordinal)
            .SelectMany(m => m.Value.Select(kv => (m.Key.Item1, m.Key.Item2.Length == 0 ? null : m.Key.Item2, kv.Key, kv.Value)));

    internal SortedDictionary<string, string> Map(AnnotationLevel level, string? rid)
    {
        (AnnotationLevel, string) key = (level, Scope(level, rid));
        if (!_maps.TryGetValue(key, out SortedDictionary<string, string>? map))
        {
            map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            _maps[key] = map;
        }

        return map;
    }

    private static string Scope(AnnotationLevel level, string? rid) =>
        level is AnnotationLevel.Manifest or AnnotationLevel.ManifestDescriptor ? rid ?? string.Empty : string.Empty;

    private static readonly SortedDictionary<string, string> Empty = new(StringComparer.Ordinal);
}
