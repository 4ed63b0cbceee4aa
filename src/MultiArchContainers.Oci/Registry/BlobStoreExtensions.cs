namespace MultiArchContainers.Oci.Registry;

/// <summary>Small documents a tool writes itself (signatures, bundles, empty configs), uploaded from memory.</summary>
internal static class BlobStoreExtensions
{
    /// <summary>Uploads <paramref name="content"/> unless the repository has a blob of its digest already.</summary>
    public static async Task EnsureBlobAsync(this IBlobStore blobs, string repository, byte[] content, CancellationToken cancellationToken)
    {
        Digest digest = Digest.Sha256(content);
        if (!await blobs.BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            await blobs.UploadBlobAsync(repository, digest, content.LongLength, () => new MemoryStream(content), cancellationToken).ConfigureAwait(false);
        }
    }
}
