using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// cosign's key-based signature format, which cosign, skopeo and podman (a sigstoreSigned policy) verify: a
/// simple-signing payload naming the signed digest and repository, signed with ECDSA over its SHA-256, stored as a
/// layer of a manifest tagged <c>sha256-&lt;hex&gt;.sig</c> in the same repository, the signature in the layer's
/// <c>dev.cosignproject.cosign/signature</c> annotation. Several signatures share that manifest, one layer each.
/// </summary>
internal static class CosignSignature
{
    public const string PayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PayloadType = "cosign container image signature";

    /// <summary>The tag of <paramref name="digest"/>'s signatures.</summary>
    public static string Tag(Digest digest) => $"{digest.Algorithm}-{digest.Encoded}.sig";

    /// <summary>The payload: what is signed is exactly this digest, in this repository (registry/repository).</summary>
    public static byte[] Payload(string dockerReference, Digest digest) => Encoding.UTF8.GetBytes(
        new JsonObject
        {
            ["critical"] = new JsonObject
            {
                ["identity"] = new JsonObject { ["docker-reference"] = dockerReference },
                ["image"] = new JsonObject { ["docker-manifest-digest"] = digest.ToString() },
                ["type"] = PayloadType,
            },
            ["optional"] = null,
        }.ToJsonString());

    /// <summary>The signature of <paramref name="payload"/>: ECDSA over its SHA-256, DER-encoded, in base64.</summary>
    public static string Sign(ECDsa key, byte[] payload) =>
        Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>Whether <paramref name="signature"/> (base64) is <paramref name="key"/>'s signature of <paramref name="payload"/>.</summary>
    public static bool Verify(ECDsa key, byte[] payload, string signature)
    {
        try
        {
            return key.VerifyData(payload, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="payload"/> is a cosign payload for exactly <paramref name="digest"/>. As with cosign's own
    /// verification, the digest is what is bound: a signature copied along with its image into another repository still
    /// names the repository it was made in.
    /// </summary>
    public static bool Signs(byte[] payload, Digest digest)
    {
        try
        {
            JsonNode? critical = JsonNode.Parse(payload)?["critical"];
            return critical?["type"]?.GetValue<string>() == PayloadType
                && critical["image"]?["docker-manifest-digest"]?.GetValue<string>() == digest.ToString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
