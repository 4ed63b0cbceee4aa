using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tool;

/// <summary>
/// A registry client that shows the bytes of every large blob read from it (a copy reads each blob once, from its
/// source), and otherwise passes every call through unchanged.
/// </summary>
internal sealed class ProgressRegistryClient : IRegistryClient
{
    /// <summary>Blobs below this size copy too quickly to be worth a progress line.</summary>
    public const long Threshold = 1024 * 1024;

    private readonly IRegistryClient _inner;
    private readonly ToolConsole _console;

    public ProgressRegistryClient(IRegistryClient inner, ToolConsole console)
    {
        _inner = inner;
        _console = console;
    }

    public string Registry => _inner.Registry;

    public Task<byte[]?> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken) => _inner.GetReferrersAsync(repository, subject, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken) => _inner.ListTagsAsync(repository, cancellationToken);

    public Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        _inner.GetManifestAsync(repository, reference, cancellationToken);

    public Task<long?> ManifestSizeAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _inner.ManifestSizeAsync(repository, digest, cancellationToken);

    public Task<Digest?> ResolveManifestAsync(string repository, string tag, CancellationToken cancellationToken) =>
        _inner.ResolveManifestAsync(repository, tag, cancellationToken);

    public Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken) =>
        _inner.PutManifestAsync(repository, reference, content, mediaType, cancellationToken);

    public Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _inner.BlobExistsAsync(repository, digest, cancellationToken);

    public async Task<Stream> OpenBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        Stream stream = await _inner.OpenBlobAsync(repository, digest, size, cancellationToken).ConfigureAwait(false);
        return size < Threshold || !_console.ShowProgress ? stream : new ProgressStream(stream, _console, $"{repository}@{digest.ToString()[..19]}", size);
    }

    public Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _inner.GetBlobAsync(repository, digest, cancellationToken);

    public Task<bool> TryMountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken) =>
        _inner.TryMountBlobAsync(repository, digest, fromRepository, cancellationToken);

    public Task UploadBlobAsync(string repository, Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken) =>
        _inner.UploadBlobAsync(repository, digest, size, open, cancellationToken);

    public void Dispose() => _inner.Dispose();
}
