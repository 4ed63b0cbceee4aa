using MultiArchContainers.Oci.Annotations;

namespace MultiArchContainers.Oci.Combine;

/// <summary>Everything the index gets besides its children.</summary>
internal sealed record CombineOptions
{
    /// <summary>Annotations of the index itself, exactly as declared.</summary>
    public IReadOnlyDictionary<string, string> IndexAnnotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Annotations of the index's entry for each image, by runtime identifier.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> DescriptorAnnotations { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    /// <summary>The index and descriptor annotations of <paramref name="annotations"/> for these images.</summary>
    public static CombineOptions From(AnnotationSet annotations, IEnumerable<string> runtimeIdentifiers) => new()
    {
        IndexAnnotations = annotations.For(AnnotationLevel.Index),
        DescriptorAnnotations = runtimeIdentifiers.ToDictionary(
            rid => rid,
            rid => annotations.For(AnnotationLevel.ManifestDescriptor, rid),
            StringComparer.Ordinal),
    };
}
