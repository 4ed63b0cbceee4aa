using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Merge;

/// <summary>For an appending merge: the entries of the index already at the first tag that no source replaces.</summary>
internal static class AppendBase
{
    /// <summary>
    /// The kept entries of <paramref name="registry"/>/<paramref name="repository"/>:<paramref name="tag"/> (none when it
    /// does not exist yet) and the digest of the index read (null then); attestations stay with the images they
    /// describe, and go with the replaced ones.
    /// </summary>
    public static async Task<(List<MergeEntry> Kept, Digest? Index)> ReadAsync(IManifestStore registry, string repository, string tag, List<MergeEntry> sources, Action<string> log, CancellationToken cancellationToken)
    {
        string name = $"{registry.Registry}/{repository}:{tag}";
        ManifestContent current;
        try
        {
            current = await registry.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex) when (ex.IsNotFound)
        {
            log($"Append: {name} does not exist yet; the index starts empty.");
            return ([], null);
        }

        if (!MediaTypes.IsIndex(current.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, name, current.MediaType);
        }

        ImageIndex index = RegistryDocuments.Parse<ImageIndex>(current.Content, registry.Registry, name, "the index to append to");
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MergeEntry>();
        foreach (Descriptor descriptor in index.Manifests.Where(m => m.Platform is not null && !m.IsAttestation))
        {
            if (sources.Any(e => !e.IsAttestation && e.Manifest.Platform!.SameSlot(descriptor.Platform!)))
            {
                replaced.Add(descriptor.Digest.ToString());
                log($"Append: {descriptor.Platform} is replaced.");
                continue;
            }

            result.Add(new MergeEntry(name, registry.Registry, repository, descriptor, descriptor.Platform!.ToString()));
        }

        foreach (Descriptor descriptor in index.Manifests.Where(m => m.IsAttestation))
        {
            var entry = new MergeEntry(name, registry.Registry, repository, descriptor, "attestation");
            if (entry.AttestedDigest is null || !replaced.Contains(entry.AttestedDigest))
            {
                result.Add(entry);
            }
        }

        return (result, current.Digest);
    }

    /// <summary>The digest <paramref name="tag"/> names now, or null when it names nothing: read just before tags move.</summary>
    public static async Task<Digest?> CurrentAsync(IManifestStore registry, string repository, string tag, CancellationToken cancellationToken)
    {
        try
        {
            return (await registry.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false)).Digest;
        }
        catch (RegistryException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
