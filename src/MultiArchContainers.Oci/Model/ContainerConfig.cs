namespace MultiArchContainers.Oci.Model;

/// <summary>The runtime part (<c>config</c>) of an image configuration.</summary>
internal sealed record ContainerConfig
{
    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
