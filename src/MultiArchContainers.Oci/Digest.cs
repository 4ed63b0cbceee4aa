using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci;

/// <summary>A content digest as the OCI image spec defines it: <c>algorithm:encoded</c>.</summary>
public readonly partial record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    public override string ToString() => $"{Algorithm}:{Encoded}";

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out Digest digest))
        {
            throw new FormatException($"'{value}' is not a digest of the form sha256:<64 lowercase hex digits>.");
        }

        return digest;
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null)
        {
            return false;
        }

        Match match = DigestPattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        string algorithm = match.Groups["alg"].Value;
        string encoded = match.Groups["enc"].Value;
        // sha256 and sha512 are the registered algorithms; their encodings are fixed-length lowercase hex.
        if ((algorithm == "sha256" && !Sha256Hex().IsMatch(encoded)) || (algorithm == "sha512" && !Sha512Hex().IsMatch(encoded)))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> Sha256Async(Stream content, CancellationToken cancellationToken)
    {
        byte[] hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return new Digest("sha256", Convert.ToHexStringLower(hash));
    }

    /// <summary>Verifies that <paramref name="content"/> has this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Algorithm switch
    {
        "sha256" => Convert.ToHexStringLower(SHA256.HashData(content)) == Encoded,
        "sha512" => Convert.ToHexStringLower(SHA512.HashData(content)) == Encoded,
        _ => false,
    };

    [GeneratedRegex("^(?<alg>[a-z0-9]+(?:[+._-][a-z0-9]+)*):(?<enc>[a-zA-Z0-9=_-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[a-f0-9]{128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha512Hex();
}
