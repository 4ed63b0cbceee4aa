using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// Signs manifests of one repository in both forms: a cosign signature (<see cref="SignatureStore"/>) and a Sigstore
/// bundle as an OCI 1.1 referrer (<see cref="ReferrerStore"/>). Signing what this key has signed already adds nothing.
/// </summary>
internal sealed class ImageSigner(IRegistryClient client, string repository, ECDsa key)
{
    private readonly SignatureStore _signatures = new(client, repository);
    private readonly ReferrerStore _referrers = new(client, repository);

    /// <summary>Signs <paramref name="digest"/>; returns what was added (nothing when both signatures were there).</summary>
    public async Task<string> SignAsync(Digest digest, CancellationToken cancellationToken)
    {
        ManifestContent manifest = await client.GetManifestAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
        bool cosign = await _signatures.SignAsync(digest, key, cancellationToken).ConfigureAwait(false);
        bool bundle = false;
        if (await FindBundleAsync(manifest, cancellationToken).ConfigureAwait(false) is null)
        {
            var subject = new Descriptor { MediaType = manifest.MediaType, Digest = digest, Size = manifest.Content.LongLength };
            await _referrers.PushAsync(subject, SigstoreBundle.MediaType, SigstoreBundle.Create(key, manifest.Content),
                new Dictionary<string, string> { ["dev.sigstore.bundle.content"] = "message-signature" }, cancellationToken).ConfigureAwait(false);
            bundle = true;
        }

        return (cosign, bundle) switch
        {
            (true, true) => "a cosign signature and a Sigstore bundle",
            (true, false) => "a cosign signature",
            (false, true) => "a Sigstore bundle",
            _ => "nothing (signed by this key already)",
        };
    }

    /// <summary>Whether <paramref name="digest"/> carries this key's Sigstore bundle among its referrers.</summary>
    public async Task<bool> HasBundleAsync(Digest digest, CancellationToken cancellationToken)
    {
        ManifestContent manifest = await client.GetManifestAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
        return await FindBundleAsync(manifest, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The referrer that holds this key's bundle for <paramref name="manifest"/>, if any.</summary>
    private async Task<JsonObject?> FindBundleAsync(ManifestContent manifest, CancellationToken cancellationToken)
    {
        foreach (JsonObject entry in await _referrers.ListAsync(manifest.Digest, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)entry["artifactType"] != SigstoreBundle.MediaType || !Digest.TryParse((string?)entry["digest"], out Digest referrer))
            {
                continue;
            }

            ManifestContent artifact = await client.GetManifestAsync(repository, referrer.ToString(), cancellationToken).ConfigureAwait(false);
            if (JsonNode.Parse(artifact.Content)?["layers"]?[0]?["digest"]?.GetValue<string>() is { } layer && Digest.TryParse(layer, out Digest blob)
                && SigstoreBundle.Verifies(await client.GetBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false), key, manifest.Content))
            {
                return entry;
            }
        }

        return null;
    }
}
