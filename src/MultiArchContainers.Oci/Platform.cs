using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci;

/// <summary>The <c>platform</c> object of an index descriptor.</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = string.Empty;

    [JsonPropertyName("os")]
    public string Os { get; init; } = string.Empty;

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>
    /// The variant to record when an image config leaves it out. The OCI spec names v8 for arm64 and
    /// v7 as the usual arm variant; clients that pick by platform expect them.
    /// </summary>
    public static string? DefaultVariant(string architecture) => architecture switch
    {
        "arm64" => "v8",
        "arm" => "v7",
        _ => null,
    };

    /// <summary><c>os/architecture[/variant]</c>, the form docker and skopeo print.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Whether two platforms are the same image slot, treating a missing default variant as that default.</summary>
    public bool SameSlot(Platform other) =>
        Os == other.Os
        && Architecture == other.Architecture
        && (Variant ?? DefaultVariant(Architecture)) == (other.Variant ?? DefaultVariant(other.Architecture))
        && (OsVersion ?? string.Empty) == (other.OsVersion ?? string.Empty);
}
