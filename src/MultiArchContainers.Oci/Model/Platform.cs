namespace MultiArchContainers.Oci.Model;

/// <summary>The <c>platform</c> object of an index descriptor.</summary>
internal sealed record Platform
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

    /// <summary>The platform of attestation manifests, which sit in an index beside the images they describe.</summary>
    [JsonIgnore]
    public bool IsAttestation => Os == "unknown" && Architecture == "unknown";

    /// <summary>A platform that names no os or no architecture, which a client cannot pick by: an index with one is refused.</summary>
    [JsonIgnore]
    public bool IsBlank => string.IsNullOrWhiteSpace(Os) || string.IsNullOrWhiteSpace(Architecture);

    /// <summary>The first entry of <paramref name="manifests"/> with a blank platform, or null.</summary>
    public static Descriptor? FirstBlank(IEnumerable<Descriptor> manifests) => manifests.FirstOrDefault(m => m.Platform is { IsBlank: true });

    /// <summary><c>os/architecture[/variant]</c>, or null when <paramref name="text"/> is not of that form.</summary>
    public static Platform? TryParse(string? text)
    {
        string[] parts = (text ?? string.Empty).Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            return null;
        }

        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    /// <summary>
    /// Whether this platform, used as a filter, selects <paramref name="platform"/>: os and architecture equal, and the
    /// variant too when the filter names one (<c>linux/arm64</c> selects any arm64, <c>linux/arm64/v8</c> only v8).
    /// </summary>
    public bool Selects(Platform platform) =>
        Os == platform.Os
        && Architecture == platform.Architecture
        && (Variant is null || Variant == (platform.Variant ?? DefaultVariant(platform.Architecture)));

    /// <summary>Whether a base image entry for this platform can serve an image for <paramref name="wanted"/>.</summary>
    public bool CanServe(Platform wanted) => SameSlot(wanted) || (Os == wanted.Os && Architecture == wanted.Architecture && Variant is null);

    /// <summary>Whether two platforms are the same image slot, treating a missing default variant as that default.</summary>
    public bool SameSlot(Platform other) =>
        Os == other.Os
        && Architecture == other.Architecture
        && (Variant ?? DefaultVariant(Architecture)) == (other.Variant ?? DefaultVariant(other.Architecture))
        && (OsVersion ?? string.Empty) == (other.OsVersion ?? string.Empty);
}
