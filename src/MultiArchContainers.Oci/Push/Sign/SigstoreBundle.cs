using System.Text.Json.Nodes;

namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// A Sigstore bundle (v0.3) holding a key-based message signature of a manifest's bytes: the SHA-256 of the bytes and
/// the ECDSA signature over them, with the public key named by a hint (the base64 SHA-256 of its SubjectPublicKeyInfo).
/// No transparency-log entry and no timestamp: the key is the trust, as with cosign's key-based signatures.
/// </summary>
internal static class SigstoreBundle
{
    public const string MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The hint that names <paramref name="key"/>'s public key in a bundle.</summary>
    public static string Hint(ECDsa key) => Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The bundle of <paramref name="key"/>'s signature over <paramref name="message"/>.</summary>
    public static byte[] Create(ECDsa key, byte[] message) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["mediaType"] = MediaType,
        ["verificationMaterial"] = new JsonObject
        {
            ["publicKey"] = new JsonObject { ["hint"] = Hint(key) },
            ["tlogEntries"] = new JsonArray(),
        },
        ["messageSignature"] = new JsonObject
        {
            ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(message)) },
            ["signature"] = Convert.ToBase64String(key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
        },
    }.ToJsonString());

    /// <summary>Whether <paramref name="bundle"/> holds <paramref name="key"/>'s valid signature of exactly <paramref name="message"/>.</summary>
    public static bool Verifies(byte[] bundle, ECDsa key, byte[] message)
    {
        try
        {
            JsonNode? signature = JsonNode.Parse(bundle)?["messageSignature"];
            return signature?["messageDigest"]?["digest"]?.GetValue<string>() == Convert.ToBase64String(SHA256.HashData(message))
                && signature["signature"]?.GetValue<string>() is { } value
                && key.VerifyData(message, Convert.FromBase64String(value), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
