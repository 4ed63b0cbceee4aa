namespace MultiArchContainers.Oci.Registry;

/// <summary>Reads what an image reference stands for: the images of an index, or one image with the platform of its config.</summary>
internal static class RemoteImageReader
{
    /// <summary>
    /// The manifest descriptors <paramref name="reference"/> names: an index's entries (those without a platform are
    /// left out), or the image itself with the platform from its config (null when the config names none) and its
    /// manifest's bytes, already read and verified, so nobody asks for them again.
    /// </summary>
    public static async Task<IReadOnlyList<(Descriptor Descriptor, byte[]? Manifest)>> ReadAsync(IRegistryClient client, ImageReference reference, CancellationToken cancellationToken) =>
        (await ReadNamedAsync(client, reference, cancellationToken).ConfigureAwait(false)).Images;

    /// <summary>As <see cref="ReadAsync"/>, with the digest of the document <paramref name="reference"/> names now.</summary>
    public static async Task<(Digest Digest, IReadOnlyList<(Descriptor Descriptor, byte[]? Manifest)> Images)> ReadNamedAsync(IRegistryClient client, ImageReference reference, CancellationToken cancellationToken)
    {
        ManifestContent manifest = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            ImageIndex index = RegistryDocuments.Parse<ImageIndex>(manifest.Content, reference.Registry, reference.ToString(), "its index");
            if (Platform.FirstBlank(index.Manifests) is { } blank)
            {
                throw new MultiArchException(MessageIds.RegistryResponseInvalid, reference.Registry, $"reading {reference}", $"its index lists {blank.Digest} with a platform that names no os or no architecture");
            }

            return (manifest.Digest, index.Manifests.Where(m => m.Platform is not null).Select(m => (m, (byte[]?)null)).ToList());
        }

        if (!MediaTypes.IsImageManifest(manifest.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, reference.ToString(), manifest.MediaType);
        }

        ImageManifest image = RegistryDocuments.Parse<ImageManifest>(manifest.Content, reference.Registry, reference.ToString(), "its manifest");
        byte[] config = await client.GetBlobAsync(reference.Repository, image.Config.Digest, cancellationToken).ConfigureAwait(false);
        Platform? platform = RegistryDocuments.Parse<ImageConfig>(config, reference.Registry, reference.ToString(), "its config").ToPlatform();
        return (manifest.Digest, [(new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Content.LongLength, Platform = platform }, manifest.Content)]);
    }
}
