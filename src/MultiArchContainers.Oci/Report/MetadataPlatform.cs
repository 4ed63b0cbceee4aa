using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Report;

/// <summary>One image of an index in a metadata file.</summary>
public sealed record MetadataPlatform
{
    [JsonPropertyName("rid")]
    public required string RuntimeIdentifier { get; init; }

    /// <summary><c>os/architecture[/variant]</c>.</summary>
    [JsonPropertyName("platform")]
    public required string Platform { get; init; }

    [JsonPropertyName("digest")]
    [JsonConverter(typeof(DigestJsonConverter))]
    public required Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    /// <summary>The image's own tags (ContainerPlatformTags); null when it has none.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}
