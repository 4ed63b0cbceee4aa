using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// Reads and writes cosign signatures in a repository (<see cref="CosignSignature"/>): signing adds a layer to the
/// manifest at the signature tag, keeping every signature others put there, and adds nothing when the same key has
/// signed the same payload already.
/// </summary>
internal sealed class SignatureStore(IRegistryClient client, string repository)
{
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    private string DockerReference => $"{client.Registry}/{repository}";

    /// <summary>Signs <paramref name="digest"/> with <paramref name="key"/>; false when that signature was there already.</summary>
    public async Task<bool> SignAsync(Digest digest, ECDsa key, CancellationToken cancellationToken)
    {
        byte[] payload = CosignSignature.Payload(DockerReference, digest);
        Digest payloadDigest = Digest.Sha256(payload);
        List<JsonObject> layers = await LayersAsync(digest, cancellationToken).ConfigureAwait(false);
        if (layers.Any(l => (string?)l["digest"] == payloadDigest.ToString() && l["annotations"]?[CosignSignature.SignatureAnnotation]?.GetValue<string>() is { } signature
            && CosignSignature.Verify(key, payload, signature)))
        {
            return false;
        }

        await client.EnsureBlobAsync(repository, payload, cancellationToken).ConfigureAwait(false);
        layers.Add(new JsonObject
        {
            ["mediaType"] = CosignSignature.PayloadMediaType,
            ["size"] = payload.LongLength,
            ["digest"] = payloadDigest.ToString(),
            ["annotations"] = new JsonObject { [CosignSignature.SignatureAnnotation] = CosignSignature.Sign(key, payload) },
        });

        byte[] config = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = string.Empty,
            ["config"] = new JsonObject(),
            ["created"] = "0001-01-01T00:00:00Z",
            ["history"] = new JsonArray(new JsonObject { ["created"] = "0001-01-01T00:00:00Z" }),
            ["os"] = string.Empty,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. layers.Select(l => (JsonNode)JsonValue.Create((string)l["digest"]!)!)]) },
        }.ToJsonString());
        await client.EnsureBlobAsync(repository, config, cancellationToken).ConfigureAwait(false);
        byte[] manifest = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new JsonObject { ["mediaType"] = ConfigMediaType, ["size"] = config.LongLength, ["digest"] = Digest.Sha256(config).ToString() },
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)l.DeepClone())]),
        }.ToJsonString());
        await client.PutManifestAsync(repository, CosignSignature.Tag(digest), manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether <paramref name="key"/> has signed <paramref name="digest"/> in this repository, in cosign's format.</summary>
    public async Task<bool> IsSignedAsync(Digest digest, ECDsa key, CancellationToken cancellationToken)
    {
        foreach (JsonObject layer in await LayersAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)layer["mediaType"] != CosignSignature.PayloadMediaType || layer["annotations"]?[CosignSignature.SignatureAnnotation]?.GetValue<string>() is not { } signature
                || !Digest.TryParse((string?)layer["digest"], out Digest payloadDigest))
            {
                continue;
            }

            byte[] payload = await client.GetBlobAsync(repository, payloadDigest, cancellationToken).ConfigureAwait(false);
            if (CosignSignature.Signs(payload, digest) && CosignSignature.Verify(key, payload, signature))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The layers of the signature manifest of <paramref name="digest"/>; none when there is none.</summary>
    private async Task<List<JsonObject>> LayersAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (await client.ResolveManifestAsync(repository, CosignSignature.Tag(digest), cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        ManifestContent existing = await client.GetManifestAsync(repository, CosignSignature.Tag(digest), cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(existing.Content)?["layers"] is JsonArray layers ? [.. layers.OfType<JsonObject>().Select(l => (JsonObject)l.DeepClone())] : [];
    }
}
