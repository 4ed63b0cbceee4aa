namespace MultiArchContainers.Oci.Model;

/// <summary>
/// The parts of an image configuration this tool reads: the platform fields and labels.
/// Everything else is carried in <see cref="Unknown"/> so the document round-trips.
/// </summary>
internal sealed record ImageConfig
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }

    /// <summary>The platform this config describes; arm64 and arm get their default variant when it is left out.</summary>
    public Platform? ToPlatform()
    {
        if (string.IsNullOrEmpty(Os) || string.IsNullOrEmpty(Architecture))
        {
            return null;
        }

        return new Platform
        {
            Os = Os,
            Architecture = Architecture,
            Variant = string.IsNullOrEmpty(Variant) ? Platform.DefaultVariant(Architecture) : Variant,
            OsVersion = string.IsNullOrEmpty(OsVersion) ? null : OsVersion,
            OsFeatures = OsFeatures is { Count: > 0 } ? OsFeatures : null,
        };
    }
}
