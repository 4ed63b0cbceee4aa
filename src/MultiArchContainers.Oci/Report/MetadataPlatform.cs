namespace MultiArchContainers.Oci.Report;

/// <summary>
/// One image of an index in a metadata file; <c>platform</c> is <c>os/architecture[/variant]</c>, <c>tags</c> its own tags
/// (ContainerPlatformTags), <c>annotations</c> those of an attestation manifest's entry (which image it describes).
/// </summary>
internal sealed record MetadataPlatform(
    [property: JsonPropertyName("rid")] string RuntimeIdentifier,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("digest")] Digest Digest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags = null,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string>? Annotations = null);
