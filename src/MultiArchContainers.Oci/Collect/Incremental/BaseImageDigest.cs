using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>What a base image reference names now, as the keys of kept images and build inputs record it.</summary>
internal static class BaseImageDigest
{
    /// <summary>
    /// The digest <paramref name="baseImage"/> names now: the one this publish's plan read when it is the same
    /// reference (<paramref name="plannedImage"/>, <paramref name="plannedDigest"/>), its own when it pins one, else one
    /// HEAD. Null when the reference names no registry or cannot be read; the build that reads the base image next
    /// reports what is wrong.
    /// </summary>
    public static async Task<Digest?> ResolveAsync(string baseImage, string plannedImage, string plannedDigest, Func<string, IRegistryClient> clients, CancellationToken cancellationToken)
    {
        if (baseImage.Length > 0 && baseImage == plannedImage && Digest.TryParse(plannedDigest, out Digest planned))
        {
            return planned;
        }

        if (ImageReference.TryParse(baseImage, out _) is not { Registry.Length: > 0 } reference)
        {
            return null;
        }

        if (reference.Digest is { } pinned)
        {
            return pinned;
        }

        try
        {
            using IRegistryClient client = clients(reference.Registry);
            return await client.ResolveManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        }
        catch (MultiArchException)
        {
            return null;
        }
    }
}
