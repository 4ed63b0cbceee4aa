namespace MultiArchContainers.Oci.Registry;

/// <summary>The blob half of a registry: configs and layers, addressed by digest.</summary>
internal interface IBlobStore
{
    Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a blob for streaming. The stream checks the content against <paramref name="digest"/> and
    /// <paramref name="size"/> while it is read and fails at the end (or as soon as it is too long) when it differs.
    /// </summary>
    Task<Stream> OpenBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken);

    /// <summary>Reads a small blob (a config) whole, bounded in size, and verifies its digest.</summary>
    Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Asks the registry to link a blob from another repository; false when it will not (the caller uploads).</summary>
    Task<bool> TryMountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken);

    /// <summary>Uploads a blob from <paramref name="open"/>, which is called again when the upload starts over.</summary>
    Task UploadBlobAsync(string repository, Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken);
}
