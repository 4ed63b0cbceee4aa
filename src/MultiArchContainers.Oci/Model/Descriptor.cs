namespace MultiArchContainers.Oci.Model;

/// <summary>An OCI content descriptor. Fields this tool does not know are kept as they were read.</summary>
internal sealed record Descriptor
{
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    [JsonPropertyName("digest")]
    public required Digest Digest { get; init; }

    private readonly long _size;

    /// <summary>
    /// The content's size in bytes, never negative: a document that says otherwise is refused while it is read (a
    /// negative size would otherwise read as "unknown" and a download would run to the end of whatever comes).
    /// </summary>
    [JsonPropertyName("size")]
    public required long Size
    {
        get => _size;
        init => _size = value >= 0 ? value : throw new JsonException($"a descriptor's size is {value}, and a size is never negative");
    }

    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }

    /// <summary>An attestation manifest's entry: platform <c>unknown/unknown</c>.</summary>
    [JsonIgnore]
    public bool IsAttestation => Platform?.IsAttestation == true;

    /// <summary>The image an attestation describes (<c>vnd.docker.reference.digest</c>), if it names one.</summary>
    [JsonIgnore]
    public string? AttestedDigest => Annotations?.GetValueOrDefault(ReferenceDigestKey);

    /// <summary>The annotation by which an attestation manifest names the image it describes.</summary>
    public const string ReferenceDigestKey = "vnd.docker.reference.digest";

    public static Descriptor For(string mediaType, byte[] content) =>
        new() { MediaType = mediaType, Digest = Digest.Sha256(content), Size = content.LongLength };
}
