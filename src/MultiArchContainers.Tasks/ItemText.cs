namespace MultiArchContainers.Tasks;

/// <summary>Items as text for keys and fingerprints.</summary>
internal static class ItemText
{
    /// <summary>The SDK stamps these labels with the clock on every build; the image's time comes from the plan instead.</summary>
    private static readonly HashSet<string> TimeLabels = new(StringComparer.Ordinal) { "org.opencontainers.image.created", "org.opencontainers.artifact.created" };

    /// <summary>Every item but the clock-stamped labels, described.</summary>
    public static IEnumerable<string> DescribeStable(IEnumerable<ITaskItem> items) =>
        items.Where(i => !TimeLabels.Contains(i.ItemSpec)).Select(Describe);

    /// <summary>An item with its own metadata, in a stable order.</summary>
    public static string Describe(ITaskItem item)
    {
        System.Collections.IDictionary metadata = item.CloneCustomMetadata();
        return item.ItemSpec + string.Concat(metadata.Keys.Cast<string>().Order(StringComparer.Ordinal).Select(name => $"|{name}={metadata[name]}"));
    }
}
