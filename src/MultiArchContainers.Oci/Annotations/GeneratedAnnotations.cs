namespace MultiArchContainers.Oci.Annotations;

/// <summary>
/// The generated annotations of a publish: the project's facts (version, source, title, …) plus
/// <c>org.opencontainers.image.created</c> and <c>.revision</c>, for the index and every manifest. Declared values win.
/// </summary>
internal static class GeneratedAnnotations
{
    public const string RevisionKey = "org.opencontainers.image.revision";

    /// <param name="values">The project's values by key; empty values are left out.</param>
    /// <param name="created">The created time, or null to leave the key out.</param>
    /// <param name="revision">The commit, or null or empty to leave the key out.</param>
    /// <param name="manifests">Also on every manifest (a publish); false puts them on the index only (a merge).</param>
    public static IEnumerable<AnnotationInput> For(IEnumerable<(string Key, string Value)> values, DateTimeOffset? created, string? revision, bool manifests = true)
    {
        var all = values.Where(v => v.Value.Length > 0).ToList();
        if (created is { } time)
        {
            all.Add((AnnotationResolver.CreatedKey, Timestamps.Format(time)));
        }

        if (!string.IsNullOrEmpty(revision))
        {
            all.Add((RevisionKey, revision));
        }

        AnnotationLevel[] levels = manifests ? [AnnotationLevel.Index, AnnotationLevel.Manifest] : [AnnotationLevel.Index];
        return all.SelectMany(v => levels
            .Select(level => new AnnotationInput("generated", level, v.Key, v.Value) { IsGenerated = true }));
    }
}
