namespace MultiArchContainers.Tool;

/// <summary>
/// The <c>--tag</c> values of a merge: one repository, one or more tags (<c>latest</c> when a name has none). A
/// registry is needed unless the index goes into an archive.
/// </summary>
internal sealed record TargetName(string Registry, string Repository, IReadOnlyList<string> Tags)
{
    public IEnumerable<string> Names => Tags.Select(t => Registry.Length == 0 ? $"{Repository}:{t}" : $"{Registry}/{Repository}:{t}");

    public static TargetName? Parse(IReadOnlyList<string> values, bool archive, Action<Diagnostic> report)
    {
        ImageReference? first = null;
        var tags = new List<string>();
        foreach (string value in values)
        {
            if (ImageReference.TryParse(value, out string? error) is not { } reference)
            {
                report(Diagnostic.Error(MessageIds.InvalidReference, value, "--tag", error));
                return null;
            }

            if (reference.Digest is not null)
            {
                report(Diagnostic.Error(MessageIds.InvalidReference, value, "--tag", "a tag names the index by tag, not by digest"));
                return null;
            }

            first ??= reference;
            if (!reference.Registry.Equals(first.Registry, StringComparison.OrdinalIgnoreCase) || reference.Repository != first.Repository)
            {
                report(Diagnostic.Error(MessageIds.ToolTagsDiffer, values[0], value));
                return null;
            }

            string tag = reference.Tag ?? "latest";
            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        if (first is null)
        {
            return null;
        }

        if (first.Registry.Length == 0 && !archive)
        {
            report(Diagnostic.Error(MessageIds.ToolTagNeedsRegistry, values[0]));
            return null;
        }

        return new TargetName(first.Registry, first.Repository, tags);
    }
}
