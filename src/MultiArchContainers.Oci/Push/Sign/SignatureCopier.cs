using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// Brings a manifest's signatures along when a merge copies it into another repository: the cosign signature
/// manifest (its layers added to any the target has at that tag) and every referrer (a Sigstore bundle, an
/// attestation), each copied by digest and attached in the target as <see cref="ReferrerStore"/> does.
/// </summary>
internal sealed class SignatureCopier(IRegistryClient source, string sourceRepository, IRegistryClient target, string targetRepository, Action<string> log)
{
    /// <summary>Copies what <paramref name="digest"/> carries in the source; returns how many signature manifests and referrers came along.</summary>
    public async Task<int> CopyAsync(Digest digest, CancellationToken cancellationToken)
    {
        int copied = 0;
        string tag = CosignSignature.Tag(digest);
        if (await source.ResolveManifestAsync(sourceRepository, tag, cancellationToken).ConfigureAwait(false) is not null)
        {
            ManifestContent signatures = await source.GetManifestAsync(sourceRepository, tag, cancellationToken).ConfigureAwait(false);
            JsonObject manifest = JsonNode.Parse(signatures.Content)!.AsObject();
            await CopyBlobsAsync(manifest, cancellationToken).ConfigureAwait(false);
            if (await target.ResolveManifestAsync(targetRepository, tag, cancellationToken).ConfigureAwait(false) is not null
                && JsonNode.Parse((await target.GetManifestAsync(targetRepository, tag, cancellationToken).ConfigureAwait(false)).Content)?["layers"] is JsonArray existing)
            {
                // The target's own signatures stay; the source's are added unless the same one is there.
                JsonArray layers = manifest["layers"]!.AsArray();
                foreach (JsonNode? layer in existing.Reverse())
                {
                    if (!layers.Any(l => JsonNode.DeepEquals(l, layer)))
                    {
                        layers.Insert(0, layer!.DeepClone());
                    }
                }
            }

            await target.PutManifestAsync(targetRepository, tag, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()), MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
            copied++;
        }

        var targetReferrers = new ReferrerStore(target, targetRepository);
        foreach (JsonObject entry in await new ReferrerStore(source, sourceRepository).ListAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (!Digest.TryParse((string?)entry["digest"], out Digest referrer))
            {
                continue;
            }

            try
            {
                ManifestContent content = await source.GetManifestAsync(sourceRepository, referrer.ToString(), cancellationToken).ConfigureAwait(false);
                await CopyBlobsAsync(JsonNode.Parse(content.Content)!.AsObject(), cancellationToken).ConfigureAwait(false);
                await target.PutManifestAsync(targetRepository, referrer.ToString(), content.Content, content.MediaType, cancellationToken).ConfigureAwait(false);
                await targetReferrers.AttachAsync(digest, entry, cancellationToken).ConfigureAwait(false);
                copied++;
            }
            catch (MultiArchException ex)
            {
                // A referrer that cannot be copied (malformed, or gone) is named, and the merge goes on: the image is whole.
                log($"The referrer {referrer} of {digest} in {source.Registry}/{sourceRepository} was not copied: {ex.Diagnostic.Text}");
            }
        }

        return copied;
    }

    /// <summary>The config and layers of a manifest the target lacks, each streamed through a file and checked by its digest.</summary>
    private async Task CopyBlobsAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        IEnumerable<JsonNode?> blobs = (manifest["layers"] as JsonArray ?? []).Prepend(manifest["config"]);
        foreach (JsonNode? blob in blobs)
        {
            if (!Digest.TryParse((string?)blob?["digest"], out Digest digest) || await target.BlobExistsAsync(targetRepository, digest, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            // Through a file, whatever its size (an attestation referrer can be large); checked by its digest on the way.
            long size = (long?)blob?["size"] ?? -1;
            if (size < 0)
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, $"{source.Registry}/{sourceRepository}@{digest}", "a signature or referrer names a blob without a size");
            }

            string file = Path.GetTempFileName();
            try
            {
                await using (Stream content = await source.OpenBlobAsync(sourceRepository, digest, size, cancellationToken).ConfigureAwait(false))
                await using (FileStream output = File.Create(file))
                {
                    await content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }

                await target.UploadBlobAsync(targetRepository, digest, new FileInfo(file).Length, () => File.OpenRead(file), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
