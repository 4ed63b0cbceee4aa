using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Merge;

/// <summary>
/// Copies a manifest and everything it refers to into the target repository: nothing that is already there, blobs
/// mounted when the source is on the same registry, streamed (never held whole in memory) and verified while they
/// stream when it is not.
/// </summary>
internal sealed class ImageCopier
{
    private readonly Func<string, IRegistryClient> _clients;
    private readonly IRegistryClient? _target;
    private readonly string _repository;

    /// <param name="clients">Registry clients by registry name.</param>
    /// <param name="target">The target registry; null when the merge writes an archive only.</param>
    /// <param name="repository">The target repository.</param>
    public ImageCopier(Func<string, IRegistryClient> clients, IRegistryClient? target, string repository)
    {
        _clients = clients;
        _target = target;
        _repository = repository;
    }

    /// <summary>
    /// Makes sure the target repository holds the manifest (<paramref name="manifestBytes"/>, or the entry's own when
    /// null) with everything it refers to. One HEAD confirms a manifest that is there, size included; only a missing
    /// one is read (when not read yet) and copied. Returns the digest now confirmed in the target.
    /// </summary>
    public async Task<Digest> EnsureAsync(MergeEntry entry, byte[]? manifestBytes, CancellationToken cancellationToken)
    {
        IRegistryClient target = _target ?? throw new InvalidOperationException("No target registry to copy to.");
        Digest digest = manifestBytes is null ? entry.Manifest.Digest : Digest.Sha256(manifestBytes);
        long expected = manifestBytes?.LongLength ?? entry.Manifest.Size;
        if (await target.ManifestSizeAsync(_repository, digest, cancellationToken).ConfigureAwait(false) is { } size)
        {
            return size == expected ? digest
                : throw new MultiArchException(MessageIds.BlobSizeMismatch, digest, $"{target.Registry}/{_repository}", size, expected);
        }

        await CopyAsync(entry, manifestBytes ?? await ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>The entry's manifest: the bytes resolving it read already, else read from its archive or registry and checked.</summary>
    public async Task<byte[]> ReadManifestAsync(MergeEntry entry, CancellationToken cancellationToken)
    {
        if (entry.ManifestBytes is { } known)
        {
            return known;
        }

        if (entry.LayoutRoot is not null)
        {
            byte[] bytes = OciLayoutImage.ReadVerified(entry.LayoutRoot, entry.Manifest.Digest, entry.Source);
            try
            {
                OciJson.Deserialize<ImageManifest>(bytes, "the manifest");
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, entry.Source, $"the manifest {entry.Manifest.Digest} is not an image manifest ({ex.Message})");
            }

            return bytes;
        }

        ManifestContent content = await _clients(entry.Registry).GetManifestAsync(entry.Repository, entry.Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);

        // Checked here, once, so a malformed manifest is the registry's coded error before anything is copied.
        RegistryDocuments.Parse<ImageManifest>(content.Content, entry.Registry, $"{entry.Repository}@{entry.Manifest.Digest}", "the manifest");
        return content.Content;
    }

    /// <summary>Copies the blobs of <paramref name="manifestBytes"/> and then the manifest itself, by its digest.</summary>
    private async Task CopyAsync(MergeEntry entry, byte[] manifestBytes, CancellationToken cancellationToken)
    {
        IRegistryClient target = _target ?? throw new InvalidOperationException("No target registry to copy to.");
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "a source manifest");
        bool sameRegistry = entry.LayoutRoot is null && string.Equals(entry.Registry, target.Registry, StringComparison.OrdinalIgnoreCase);
        foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (await target.BlobExistsAsync(_repository, blob.Digest, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (sameRegistry && await target.TryMountBlobAsync(_repository, blob.Digest, entry.Repository, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Func<Stream> open = entry.LayoutRoot is { } root
                ? () => new VerifyingStream(File.OpenRead(OciLayoutPaths.Blob(root, blob.Digest)), blob.Digest, blob.Size, blob.Digest.ToString(), entry.Source)
                : () => _clients(entry.Registry).OpenBlobAsync(entry.Repository, blob.Digest, blob.Size, cancellationToken).GetAwaiter().GetResult();
            await target.UploadBlobAsync(_repository, blob.Digest, blob.Size, open, cancellationToken).ConfigureAwait(false);
        }

        await target.PutManifestAsync(_repository, Digest.Sha256(manifestBytes).ToString(), manifestBytes, entry.Manifest.MediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a manifest and its blobs into an archive: blobs from an unpacked source archive are used in place (the
    /// writer checks them), blobs in a registry are streamed to files below <paramref name="downloads"/> and checked on
    /// the way.
    /// </summary>
    public async Task AddToArchiveAsync(OciArchiveWriter archive, MergeEntry entry, byte[] manifestBytes, string downloads, CancellationToken cancellationToken)
    {
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "a source manifest");
        foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (entry.LayoutRoot is { } root)
            {
                // The archive writer checks it while it writes.
                archive.AddFile(blob.Digest, OciLayoutPaths.Blob(root, blob.Digest));
                continue;
            }

            string path = OciLayoutPaths.Blob(downloads, blob.Digest);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                string partial = path + ".partial";
                await using (Stream source = await _clients(entry.Registry).OpenBlobAsync(entry.Repository, blob.Digest, blob.Size, cancellationToken).ConfigureAwait(false))
                await using (FileStream file = File.Create(partial))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                File.Move(partial, path);
            }

            archive.AddFile(blob.Digest, path, checkedAlready: true);
        }

        archive.AddBytes(manifestBytes);
    }
}
