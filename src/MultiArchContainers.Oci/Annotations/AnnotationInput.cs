namespace MultiArchContainers.Oci.Annotations;

/// <summary>
/// One annotation as declared. <see cref="Value"/> is null when no value was given. <see cref="Platform"/>
/// (<c>os/arch[/variant]</c>) or <see cref="RuntimeIdentifier"/> limit a manifest-level annotation to one image.
/// </summary>
/// <param name="Source">Who declared it, for messages, e.g. <c>ContainerManifestAnnotation item</c>.</param>
/// <param name="Level">Where it goes.</param>
/// <param name="Key">The annotation key.</param>
/// <param name="Value">The value, or null when the declaration gave none.</param>
internal sealed record AnnotationInput(string Source, AnnotationLevel Level, string Key, string? Value)
{
    public string? Platform { get; init; }

    public string? RuntimeIdentifier { get; init; }

    /// <summary>Generated values step aside for any user value of the same key at the same place.</summary>
    public bool IsGenerated { get; init; }
}
