namespace MultiArchContainers.Tasks;

/// <summary>Annotation items of the project (<c>ContainerIndexAnnotation</c> and the others) as the core reads them.</summary>
internal static class AnnotationItems
{
    /// <summary>
    /// Annotation items as the Oci layer takes them: Include is the key, <c>Value</c> the value (null when the item has
    /// no such metadata), <c>Platform</c> and <c>RuntimeIdentifier</c> optional qualifiers.
    /// </summary>
    public static IEnumerable<AnnotationInput> ToAnnotations(string itemType, AnnotationLevel level, ITaskItem[] items) =>
        items.Select(item => new AnnotationInput(
            $"{itemType} item",
            level,
            item.ItemSpec,
            HasMetadata(item, "Value") ? item.GetMetadata("Value") : null)
        {
            Platform = NonEmpty(item.GetMetadata(ItemMetadata.Platform)),
            RuntimeIdentifier = NonEmpty(item.GetMetadata(ItemMetadata.RuntimeIdentifier)),
        });

    private static bool HasMetadata(ITaskItem item, string name) =>
        item.MetadataNames.Cast<string>().Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
