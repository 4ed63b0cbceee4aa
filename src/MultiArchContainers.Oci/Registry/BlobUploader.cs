using System.Net.Http.Headers;
using MultiArchContainers.Oci.Registry.Transport;

namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// Uploads blobs: in one request, or in chunks (forced by the settings, or after the registry refused one request as
/// too large, after which every later blob of this uploader goes in chunks too; that is the one thing it learns).
/// A transient answer or a lost connection during any step starts the upload again from a new session.
/// </summary>
internal sealed class BlobUploader
{
    private readonly RegistryTransport _transport;
    private readonly RetryLoop _retries;
    private int _chunkSizeAfterRefusal;

    public BlobUploader(RegistryTransport transport, IReadOnlyList<TimeSpan> retryDelays, Action<string>? onRetry)
    {
        _transport = transport;
        _retries = new RetryLoop(transport.Registry, retryDelays, onRetry);
    }

    /// <summary>Bytes per PATCH, or null while blobs go in one request.</summary>
    public int? ChunkSize =>
        _transport.Settings.ForcedChunkSize ?? (Volatile.Read(ref _chunkSizeAfterRefusal) is > 0 and int learned ? learned : null);

    public Task UploadAsync(string repository, Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken) =>
        _retries.RunAsync($"uploading {digest} to {repository}", retryable: true, async last =>
        {
            try
            {
                return (true, await UploadOnceAsync(repository, digest, size, open, last, cancellationToken).ConfigureAwait(false));
            }
            catch (RegistryException ex) when (!last && ex.Status is null && ex.InnerException is { } inner && RetryHandler.IsConnectionLost(inner))
            {
                return (false, new TryAgain("a lost connection"));
            }
        }, cancellationToken);

    /// <summary>One upload from a new session; null when done, else the transient answer of the step that failed.</summary>
    private async Task<TryAgain?> UploadOnceAsync(string repository, Digest digest, long size, Func<Stream> open, bool last, CancellationToken cancellationToken)
    {
        if (ChunkSize is not { } chunkSize)
        {
            (Uri location, _) = await StartAsync(repository, digest, cancellationToken).ConfigureAwait(false);
            var body = new StreamContent(open());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = size;
            using HttpRequestMessage put = RegistryRequest.Create(HttpMethod.Put, WithDigest(location, digest), PushScope(repository), $"uploading {digest} to {repository}", body, retry: false);
            using HttpResponseMessage finish = await _transport.SendAsync(put, cancellationToken).ConfigureAwait(false);
            if (!RefusedAsTooLarge(finish.StatusCode, size))
            {
                return await EnsureStepAsync(finish, $"PUT {repository}/blobs/uploads/", last, cancellationToken).ConfigureAwait(false);
            }

            // The registry (or a gateway in front of it) limits the request size, with 413 or, as some hosted
            // registries do, with a bare 400 for a body above their chunk limit: this blob and the next ones go in chunks.
            Interlocked.CompareExchange(ref _chunkSizeAfterRefusal, _transport.Settings.ChunkSizeIfRefused, 0);
            chunkSize = ChunkSize!.Value;
        }

        return await UploadInChunksAsync(repository, digest, open, chunkSize, last, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TryAgain?> UploadInChunksAsync(string repository, Digest digest, Func<Stream> open, int configuredChunkSize, bool last, CancellationToken cancellationToken)
    {
        (Uri location, int minimum) = await StartAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[Math.Max(configuredChunkSize, minimum)];
        await using Stream source = open();
        long offset = 0;
        while (true)
        {
            int filled = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                break;
            }

            var body = new ByteArrayContent(buffer, 0, filled);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = filled;
            body.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + filled - 1}");
            using HttpRequestMessage patch = RegistryRequest.Create(HttpMethod.Patch, location, PushScope(repository), $"uploading bytes {offset} to {offset + filled - 1} of {digest} to {repository}", body, retry: false);
            using HttpResponseMessage sent = await _transport.SendAsync(patch, cancellationToken).ConfigureAwait(false);
            if (await EnsureStepAsync(sent, $"PATCH {repository}/blobs/uploads/", last, cancellationToken).ConfigureAwait(false) is { } again)
            {
                return again;
            }

            location = NextLocation(sent, location);
            offset += filled;
        }

        using HttpRequestMessage put = RegistryRequest.Create(HttpMethod.Put, WithDigest(location, digest), PushScope(repository), $"completing the upload of {digest} to {repository}", new ByteArrayContent([]), retry: false);
        using HttpResponseMessage finish = await _transport.SendAsync(put, cancellationToken).ConfigureAwait(false);
        return await EnsureStepAsync(finish, $"PUT {repository}/blobs/uploads/", last, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a one-request upload was refused for its size: 413, or 400 for a blob larger than a chunk (a registry
    /// that caps requests says 400; a smaller blob refused with 400 is refused for another reason, which stands).
    /// </summary>
    private bool RefusedAsTooLarge(HttpStatusCode status, long size) =>
        status == HttpStatusCode.RequestEntityTooLarge || (status == HttpStatusCode.BadRequest && size > _transport.Settings.ChunkSizeIfRefused);

    /// <summary>Opens an upload session: its location and the registry's minimum chunk size (0 when it names none).</summary>
    private async Task<(Uri Location, int MinimumChunk)> StartAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using HttpRequestMessage post = RegistryRequest.Create(HttpMethod.Post, _transport.Url(RegistryPaths.Uploads(repository)), PushScope(repository), $"starting the upload of {digest} to {repository}", new ByteArrayContent([]));
        using HttpResponseMessage start = await _transport.SendAsync(post, cancellationToken).ConfigureAwait(false);
        await _transport.Responses.EnsureSuccessAsync(start, $"POST {repository}/blobs/uploads/", cancellationToken).ConfigureAwait(false);
        if (start.Headers.Location is null)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.RegistryRequestFailed, _transport.Registry, $"POST {repository}/blobs/uploads/", (int)start.StatusCode, " without a Location header"), start.StatusCode, null);
        }

        int minimum = start.Headers.TryGetValues("OCI-Chunk-Min-Length", out IEnumerable<string>? values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int declared) && declared <= 64 * 1024 * 1024
            ? declared : 0;
        return (NextLocation(start, _transport.Settings.BaseAddress), minimum);
    }

    /// <summary>A transient answer when another try is left is returned (the upload starts again); any other failure is coded.</summary>
    private async Task<TryAgain?> EnsureStepAsync(HttpResponseMessage response, string what, bool last, CancellationToken cancellationToken)
    {
        if (!last && RetryHandler.IsTransient(response.StatusCode))
        {
            return new TryAgain($"HTTP {(int)response.StatusCode} ({what})", RetryHandler.AskedDelay(response));
        }

        await _transport.Responses.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private Uri NextLocation(HttpResponseMessage response, Uri current) =>
        NextLocation(_transport.Settings.BaseAddress, _transport.Registry, response.Headers.Location, current, response.StatusCode);

    /// <summary>
    /// The upload location a response names, made absolute; every step of an upload may move it, even to another
    /// origin (a storage host), which then gets no credentials, but never from https to plain http, nor to another scheme.
    /// </summary>
    internal static Uri NextLocation(Uri baseAddress, string registry, Uri? location, Uri current, HttpStatusCode status)
    {
        if (location is null)
        {
            return current;
        }

        Uri absolute = location.IsAbsoluteUri ? location : new Uri(baseAddress, location);
        if (absolute.Scheme != Uri.UriSchemeHttps && absolute.Scheme != Uri.UriSchemeHttp)
        {
            throw RegistryResponses.Invalid(registry, "an upload step", $"the upload location is a {absolute.Scheme} URL", status);
        }

        if (absolute.Scheme == Uri.UriSchemeHttp && current.Scheme == Uri.UriSchemeHttps)
        {
            throw RegistryResponses.Invalid(registry, "an upload step", $"the upload location {absolute.GetLeftPart(UriPartial.Authority)} moves the upload from https to plain http", status);
        }

        return absolute;
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        string separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
    }

    private static string PushScope(string repository) => RegistryPaths.Scope(repository, "pull,push");
}
