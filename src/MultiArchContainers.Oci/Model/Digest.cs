namespace MultiArchContainers.Oci.Model;

/// <summary>
/// A content digest as the OCI image spec defines it, <c>algorithm:encoded</c>, limited to the algorithms this tool
/// can verify: sha256, sha384 and sha512, each with exactly its length of lowercase hex digits.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(DigestJsonConverter))]
internal readonly record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    /// <summary>What a valid digest looks like, for messages.</summary>
    public const string Rule = "a digest is sha256:, sha384: or sha512: followed by 64, 96 or 128 lowercase hex digits";

    public override string ToString() => $"{Algorithm}:{Encoded}";

    public static Digest Parse(string value) =>
        TryParse(value, out Digest digest) ? digest : throw new FormatException($"'{value}' is not a valid digest: {Rule}.");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        int colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        string algorithm = value![..colon];
        string encoded = value[(colon + 1)..];
        if (HexLength(algorithm) is not { } length || encoded.Length != length || !encoded.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded);
        return true;
    }

    /// <summary>The sha256 digest whose hash is <paramref name="hash"/> (32 bytes, as a hash function returns them).</summary>
    public static Digest FromSha256(byte[] hash) => new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> Sha256Async(Stream content, CancellationToken cancellationToken)
    {
        byte[] hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return new Digest("sha256", Convert.ToHexStringLower(hash));
    }

    /// <summary>Verifies that <paramref name="content"/> has this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Of(content) == this;

    /// <summary>The digest of <paramref name="content"/> with this digest's algorithm.</summary>
    public Digest Of(ReadOnlySpan<byte> content)
    {
        using IncrementalHash hash = CreateHash();
        hash.AppendData(content);
        return WithHash(hash.GetHashAndReset());
    }

    /// <summary>A hash of this digest's algorithm, for checking content while it streams.</summary>
    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    });

    /// <summary>The same algorithm's digest of <paramref name="hash"/>'s result.</summary>
    public Digest WithHash(byte[] hash) => new(Algorithm, Convert.ToHexStringLower(hash));

    private static int? HexLength(string algorithm) => algorithm switch
    {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => null,
    };
}
