using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// Which layers of a per-RID image are the base image's: the layers of the base manifest for its platform, by digest.
/// Those stay the base image's bytes; only the other layers (the ones the SDK added) are made reproducible. History
/// entries cannot tell: the SDK writes one for every layer when the base image's config has none.
/// </summary>
internal static class BaseLayers
{
    /// <summary>
    /// The layer digests of the base manifest <paramref name="planned"/> (the one the plan chose for the platform), or,
    /// without one, of the manifest <paramref name="baseImage"/> offers for <paramref name="platform"/>.
    /// </summary>
    public static async Task<IReadOnlySet<Digest>> ReadAsync(Func<string, IRegistryClient> clients, string baseImage, Descriptor? planned, Platform? platform, CancellationToken cancellationToken)
    {
        if (ImageReference.TryParse(baseImage, out string? error) is not { Registry.Length: > 0 } reference)
        {
            throw new MultiArchException(MessageIds.ImageReproducibilityFailed, baseImage, $"the base image's layers cannot be read: {error ?? "it names no registry"}");
        }

        using IRegistryClient client = clients(reference.Registry);
        Descriptor? manifest = planned;
        byte[]? content = null;
        if (manifest is null)
        {
            IReadOnlyList<(Descriptor Descriptor, byte[]? Manifest)> offered = await RemoteImageReader.ReadAsync(client, reference, cancellationToken).ConfigureAwait(false);
            (manifest, content) = offered.FirstOrDefault(o => platform is null || o.Descriptor.Platform?.CanServe(platform) == true);
            if (manifest is null)
            {
                throw new MultiArchException(MessageIds.PlatformNotInBaseImage, platform?.ToString() ?? "?", platform?.ToString() ?? "?", baseImage, string.Join(", ", offered.Select(o => o.Descriptor.Platform)));
            }
        }

        content ??= (await client.GetManifestAsync(reference.Repository, manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false)).Content;
        ImageManifest image = RegistryDocuments.Parse<ImageManifest>(content, reference.Registry, reference.ToString(), "its manifest");
        return image.Layers.Select(l => l.Digest).ToHashSet();
    }
}
