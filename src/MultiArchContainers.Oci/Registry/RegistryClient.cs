using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MultiArchContainers.Oci.Registry;

/// <summary>A manifest as read from a registry: its exact bytes, media type and verified digest.</summary>
public sealed record ManifestContent(byte[] Content, string MediaType, Digest Digest);

/// <summary>
/// A client for one registry, following the OCI distribution spec: <c>/v2/</c> ping, anonymous, basic and
/// bearer-token auth, manifests by tag or digest, blob existence, cross-repository mount and upload.
/// Everything read by digest is verified against it.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ICredentialSource _credentials;
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _authByScope = new(StringComparer.Ordinal);

    public RegistryClient(string registry, ICredentialSource? credentials = null, Func<string, string?>? environment = null)
    {
        if (!ImageReference.IsValidRegistry(registry))
        {
            throw new MultiArchException(MessageIds.InvalidReference, registry, "registry", "expected host[:port]");
        }

        Registry = registry;
        _credentials = credentials ?? new DockerConfigCredentialSource(environment);
        string scheme = UsesPlainHttp(registry, environment ?? Environment.GetEnvironmentVariable) ? "http" : "https";
        BaseAddress = new Uri($"{scheme}://{registry}/");
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("MultiArchContainers/1.0");
        (UploadChunkSize, ChunkSizeIfRefused) = ChunkSettings(environment ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// How long to wait before each new try after a transient answer; its length is the number of retries. By default
    /// three retries, after 1, 2 and 4 seconds.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>Told about every retry, with what was asked, the answer and the wait.</summary>
    public Action<string>? OnRetry { get; init; }

    /// <summary>The chunk size used when a registry refuses a blob sent in one request: 5 MiB unless configured.</summary>
    public const int DefaultChunkSize = 5 * 1024 * 1024;

    /// <summary>
    /// Bytes per PATCH request of a blob upload; null sends each blob in one PUT. Set from the .NET SDK's own
    /// variables: <c>SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD=true</c> turns chunking on,
    /// <c>SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES</c> sets the size. A registry that answers a one-request
    /// upload with HTTP 413 (too large) gets that blob, and every later one, in chunks.
    /// </summary>
    public int? UploadChunkSize { get; set; }

    private int ChunkSizeIfRefused { get; }

    /// <summary>The registry's host[:port] as the user named it.</summary>
    public string Registry { get; }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Plain HTTP is used for loopback registries (as docker allows) and for hosts listed in
    /// <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c> (separated by ';' or ','), the variable the .NET SDK reads.
    /// </summary>
    public static bool UsesPlainHttp(string registry, Func<string, string?> environment)
    {
        string host = registry;
        if (host.StartsWith('['))
        {
            host = host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address)))
        {
            return true;
        }

        string? insecure = environment("DOTNET_CONTAINER_INSECURE_REGISTRIES");
        return insecure is not null
            && insecure.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(entry => entry.Equals(registry, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Checks that the registry answers the <c>/v2/</c> endpoint (with auth where it asks for it).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v2/"), scope: null, "the API version check", cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "GET /v2/");
    }

    public async Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        string path = $"v2/{repository}/manifests/{reference}";
        using HttpResponseMessage response = await SendAsync(
            () => AcceptingManifests(new HttpRequestMessage(HttpMethod.Get, path)),
            PullScope(repository),
            $"reading {repository}:{reference}",
            cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, $"GET {repository}/manifests/{reference}");
        byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Digest actual = Digest.Sha256(content);
        Digest? expected = Digest.TryParse(reference, out Digest byDigest) ? byDigest
            : Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out Digest fromHeader) ? fromHeader
            : null;
        if (expected is { } wanted && !wanted.Matches(content))
        {
            throw new MultiArchException(MessageIds.DigestMismatch, $"{repository}:{reference}", Registry, actual, wanted);
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeOf(content);
        return new ManifestContent(content, mediaType, actual);
    }

    /// <summary>Whether the repository holds the manifest with <paramref name="digest"/>.</summary>
    public Task<bool> ManifestExistsAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        ExistsAsync($"v2/{repository}/manifests/{digest}", repository, accept: true, cancellationToken);

    public Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        ExistsAsync($"v2/{repository}/blobs/{digest}", repository, accept: false, cancellationToken);

    /// <summary>Stores a manifest or index under <paramref name="reference"/> (a tag or its digest) with its exact media type.</summary>
    public async Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(
            () =>
            {
                var body = new ByteArrayContent(content);
                body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = body };
            },
            PushScope(repository),
            $"pushing {repository}:{reference}",
            cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, $"PUT {repository}/manifests/{reference}");
        Digest digest = Digest.Sha256(content);
        if (Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out Digest stored) && stored != digest)
        {
            throw new MultiArchException(MessageIds.DigestMismatch, $"{repository}:{reference}", Registry, stored, digest);
        }

        return digest;
    }

    /// <summary>
    /// Opens a blob for streaming (layers are not held in memory). The caller disposes the stream; the digest is
    /// checked by the registry the blob is uploaded to, which refuses content that does not match.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}"), PullScope(repository), $"reading {repository}@{digest}", cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureSuccess(response, $"GET {repository}/blobs/{digest}");
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads a small blob (a config) whole and verifies its digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}"), PullScope(repository), $"reading {repository}@{digest}", cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, $"GET {repository}/blobs/{digest}");
        byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!digest.Matches(content))
        {
            throw new MultiArchException(MessageIds.DigestMismatch, $"{repository}@{digest}", Registry, Digest.Sha256(content), digest);
        }

        return content;
    }

    /// <summary>Asks the registry to link a blob from another repository; false when it will not (the caller uploads).</summary>
    public async Task<bool> TryMountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        string path = $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}";
        using HttpResponseMessage response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([]) },
            $"repository:{repository}:pull,push repository:{fromRepository}:pull",
            $"mounting {digest} into {repository}",
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        // 202 opens an upload session the caller does not need; the registry expires it.
        return false;
    }

    /// <summary>
    /// Uploads a blob from <paramref name="open"/>: in one request, or in chunks of <see cref="UploadChunkSize"/>
    /// (never smaller than the registry's <c>OCI-Chunk-Min-Length</c>) when set or when the registry refuses one
    /// request as too large.
    /// </summary>
    public async Task UploadBlobAsync(string repository, Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool last = attempt >= RetryDelays.Count;
            try
            {
                await UploadOnceAsync(repository, digest, size, open, last, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TransientUploadFailure failure)
            {
                // An upload step was answered "try again later": the upload starts again from a new session.
                ReportRetry($"uploading {digest} to {repository}", $"HTTP {failure.Status} ({failure.Step})", RetryDelays[attempt]);
                await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task UploadOnceAsync(string repository, Digest digest, long size, Func<Stream> open, bool last, CancellationToken cancellationToken)
    {
        if (UploadChunkSize is null)
        {
            (Uri location, _) = await StartUploadAsync(repository, digest, cancellationToken).ConfigureAwait(false);
            using HttpResponseMessage finish = await SendAsync(
                () =>
                {
                    var body = new StreamContent(open());
                    body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    body.Headers.ContentLength = size;
                    return new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = body };
                },
                PushScope(repository),
                $"uploading {digest} to {repository}",
                cancellationToken,
                retryable: false).ConfigureAwait(false);
            if (finish.StatusCode != HttpStatusCode.RequestEntityTooLarge)
            {
                EnsureUploadStep(finish, $"PUT {repository}/blobs/uploads/", last);
                return;
            }

            // The registry (or a proxy in front of it) limits the request size: send this blob and the next ones in chunks.
            UploadChunkSize = ChunkSizeIfRefused;
        }

        await UploadInChunksAsync(repository, digest, open, UploadChunkSize.Value, last, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="TransientUploadFailure"/> for a transient answer when another try is left, else as <see cref="EnsureSuccess"/>.</summary>
    private void EnsureUploadStep(HttpResponseMessage response, string what, bool last)
    {
        if (!last && IsTransient(response.StatusCode))
        {
            throw new TransientUploadFailure((int)response.StatusCode, what);
        }

        EnsureSuccess(response, what);
    }

    private sealed class TransientUploadFailure(int status, string step) : Exception
    {
        public int Status { get; } = status;

        public string Step { get; } = step;
    }

    private async Task UploadInChunksAsync(string repository, Digest digest, Func<Stream> open, int configuredChunkSize, bool last, CancellationToken cancellationToken)
    {
        (Uri location, int minimum) = await StartUploadAsync(repository, digest, cancellationToken).ConfigureAwait(false);
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

            long start = offset;
            Uri target = location;
            using HttpResponseMessage sent = await SendAsync(
                () =>
                {
                    var body = new ByteArrayContent(buffer, 0, filled);
                    body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    body.Headers.ContentLength = filled;
                    var request = new HttpRequestMessage(HttpMethod.Patch, target) { Content = body };
                    request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + filled - 1}");
                    return request;
                },
                PushScope(repository),
                $"uploading bytes {start} to {start + filled - 1} of {digest} to {repository}",
                cancellationToken,
                retryable: false).ConfigureAwait(false);
            EnsureUploadStep(sent, $"PATCH {repository}/blobs/uploads/", last);
            location = NextLocation(sent, location);
            offset += filled;
        }

        using HttpResponseMessage finish = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = new ByteArrayContent([]) },
            PushScope(repository),
            $"completing the upload of {digest} to {repository}",
            cancellationToken,
            retryable: false).ConfigureAwait(false);
        EnsureUploadStep(finish, $"PUT {repository}/blobs/uploads/", last);
    }

    /// <summary>Opens an upload session: its location and the registry's minimum chunk size (0 when it names none).</summary>
    private async Task<(Uri Location, int MinimumChunk)> StartUploadAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using HttpResponseMessage start = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/") { Content = new ByteArrayContent([]) },
            PushScope(repository),
            $"starting the upload of {digest} to {repository}",
            cancellationToken).ConfigureAwait(false);
        EnsureSuccess(start, $"POST {repository}/blobs/uploads/");
        if (start.Headers.Location is null)
        {
            throw new MultiArchException(MessageIds.RegistryRequestFailed, Registry, $"POST {repository}/blobs/uploads/", (int)start.StatusCode, " without a Location header");
        }

        int minimum = int.TryParse(HeaderValue(start, "OCI-Chunk-Min-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out int declared) ? declared : 0;
        return (NextLocation(start, BaseAddress), minimum);
    }

    /// <summary>The upload location a response names, made absolute; every step of an upload may move it.</summary>
    private Uri NextLocation(HttpResponseMessage response, Uri current)
    {
        Uri? location = response.Headers.Location;
        if (location is null)
        {
            return current;
        }

        return location.IsAbsoluteUri ? location : new Uri(BaseAddress, location);
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        string separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
    }

    /// <summary>Reads the chunking variables: (chunk size when forced, else null; chunk size after a refusal).</summary>
    internal static (int? Forced, int IfRefused) ChunkSettings(Func<string, string?> environment)
    {
        int size = DefaultChunkSize;
        string? sizeText = environment("SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES");
        if (!string.IsNullOrWhiteSpace(sizeText)
            && (!int.TryParse(sizeText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1024))
        {
            throw new MultiArchException(MessageIds.InvalidUploadChunkSize, sizeText);
        }

        string? force = environment("SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD");
        bool forced = force is not null && (force.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || force.Trim() == "1");
        return (forced ? size : null, size);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Asks for every image and index type, OCI and Docker, so the registry never converts what it serves.</summary>
    private static HttpRequestMessage AcceptingManifests(HttpRequestMessage request)
    {
        foreach (string type in MediaTypes.ManifestAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    private static string PullScope(string repository) => $"repository:{repository}:pull";

    private static string PushScope(string repository) => $"repository:{repository}:pull,push";

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static string MediaTypeOf(byte[] content)
    {
        using JsonDocument document = JsonDocument.Parse(content);
        return document.RootElement.TryGetProperty("mediaType", out JsonElement type) && type.GetString() is { } text ? text : MediaTypes.OciManifest;
    }

    private async Task<bool> ExistsAsync(string path, string repository, bool accept, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(
            () => accept ? AcceptingManifests(new HttpRequestMessage(HttpMethod.Head, path)) : new HttpRequestMessage(HttpMethod.Head, path),
            PullScope(repository),
            $"checking {path}",
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess(response, $"HEAD {path}");
        return true;
    }

    private void EnsureSuccess(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new MultiArchException(MessageIds.RegistryUnauthorized, Registry, what, (int)response.StatusCode);
        }

        string detail = string.Empty;
        try
        {
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            using JsonDocument errors = JsonDocument.Parse(body);
            if (errors.RootElement.TryGetProperty("errors", out JsonElement list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
            {
                JsonElement first = list[0];
                detail = $" ({first.GetProperty("code").GetString()}: {first.GetProperty("message").GetString()})";
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A body that is not a distribution error document adds nothing to the message.
        }

        throw new MultiArchException(MessageIds.RegistryRequestFailed, Registry, what, (int)response.StatusCode, detail);
    }

    /// <summary>
    /// Sends a request, answering one auth challenge: Basic with the configured credential, or Bearer with a
    /// token fetched from the challenge's realm. Tokens are cached by scope.
    /// </summary>
    /// <remarks>
    /// A <paramref name="retryable"/> request is sent again after a transient answer (HTTP 429, 500, 502, 503, 504, or a
    /// connection closed before the answer), waiting <see cref="RetryDelays"/> or the registry's Retry-After.
    /// Upload steps are not: a failed upload is started again as a whole.
    /// </remarks>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string? scope, string what, CancellationToken cancellationToken, bool retryable = true)
    {
        string cacheKey = scope ?? string.Empty;
        HttpResponseMessage response = await SendOnceAsync(create, cacheKey, what, retryable, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        AuthenticationHeaderValue? challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        if (challenge is null)
        {
            throw new MultiArchException(MessageIds.RegistryUnauthorized, Registry, what, 401);
        }

        RegistryCredential? credential = _credentials.Get(Registry);
        AuthenticationHeaderValue authorization;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credential is null)
            {
                throw new MultiArchException(MessageIds.RegistryUnauthorized, Registry, what, 401);
            }

            authorization = BasicHeader(credential);
        }
        else if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            authorization = await FetchTokenAsync(challenge.Parameter ?? string.Empty, scope, credential, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new MultiArchException(MessageIds.RegistryUnauthorized, Registry, what, 401);
        }

        _authByScope[cacheKey] = authorization;
        return await SendOnceAsync(create, cacheKey, what, retryable, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, string cacheKey, string what, bool retryable, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool last = !retryable || attempt >= RetryDelays.Count;
            HttpResponseMessage response;
            try
            {
                response = await SendRawAsync(create, cacheKey, what, cancellationToken).ConfigureAwait(false);
            }
            catch (MultiArchException ex) when (!last && ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                ReportRetry(what, "the connection closed before an answer", RetryDelays[attempt]);
                await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return response;
            }

            TimeSpan delay = RetryDelay(response, attempt);
            ReportRetry(what, $"HTTP {(int)response.StatusCode}", delay);
            response.Dispose();
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReportRetry(string what, string answer, TimeSpan delay) =>
        OnRetry?.Invoke($"The registry '{Registry}' answered {what} with {answer}; trying again in {delay.TotalSeconds:0.#} s.");

    /// <summary>Answers that say "try again later" rather than "no".</summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The registry's Retry-After when it gives one (at most a minute), else the next of <see cref="RetryDelays"/>.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        return asked is { } wait && wait > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(wait.Ticks, TimeSpan.FromMinutes(1).Ticks)) : RetryDelays[attempt];
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> create, string cacheKey, string what, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = create();
        if (request.RequestUri is { IsAbsoluteUri: false } relative)
        {
            request.RequestUri = new Uri(BaseAddress, relative);
        }

        if (_authByScope.TryGetValue(cacheKey, out AuthenticationHeaderValue? header))
        {
            request.Headers.Authorization = header;
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new MultiArchException(Diagnostic.Error(MessageIds.RegistryUnreachable, Registry, Describe(ex, what)), ex);
        }
    }

    private static string Describe(HttpRequestException ex, string what)
    {
        string reason = ex.InnerException switch
        {
            SocketException socket => socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "the connection was refused",
                SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve",
                SocketError.TimedOut => "the connection timed out",
                _ => socket.Message,
            },
            System.Security.Authentication.AuthenticationException => "the TLS handshake failed (a plain-HTTP registry?)",
            { } inner => inner.Message,
            null => ex.Message,
        };
        return $"{reason} while {what}";
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Secret}")));

    private async Task<AuthenticationHeaderValue> FetchTokenAsync(string parameters, string? scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        Dictionary<string, string> values = ParseChallenge(parameters);
        if (!values.TryGetValue("realm", out string? realm) || !Uri.TryCreate(realm, UriKind.Absolute, out Uri? realmUri))
        {
            throw new MultiArchException(MessageIds.TokenRequestFailed, realm ?? "(none)", Registry, 401);
        }

        var query = new List<string>();
        if (values.TryGetValue("service", out string? service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        string? requested = values.TryGetValue("scope", out string? challengeScope) ? challengeScope : scope;
        if (!string.IsNullOrEmpty(requested))
        {
            query.AddRange(requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => "scope=" + Uri.EscapeDataString(s)));
        }

        var builder = new UriBuilder(realmUri);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential is not null)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new MultiArchException(Diagnostic.Error(MessageIds.RegistryUnreachable, realmUri.Authority, Describe(ex, "requesting a token")), ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new MultiArchException(MessageIds.TokenRequestFailed, realmUri.GetLeftPart(UriPartial.Path), Registry, (int)response.StatusCode);
            }

            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            string? token = body.RootElement.TryGetProperty("token", out JsonElement t) ? t.GetString()
                : body.RootElement.TryGetProperty("access_token", out JsonElement a) ? a.GetString() : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new MultiArchException(MessageIds.TokenRequestFailed, realmUri.GetLeftPart(UriPartial.Path), Registry, (int)response.StatusCode);
            }

            return new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>Parses <c>key="value", key=value</c> pairs of a WWW-Authenticate challenge.</summary>
    internal static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || char.IsWhiteSpace(parameters[i])))
            {
                i++;
            }

            int equals = parameters.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            string key = parameters[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < parameters.Length && parameters[i] == '"')
            {
                i++;
                while (i < parameters.Length && parameters[i] != '"')
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length)
                    {
                        i++;
                    }

                    value.Append(parameters[i++]);
                }

                i++;
            }
            else
            {
                while (i < parameters.Length && parameters[i] != ',')
                {
                    value.Append(parameters[i++]);
                }
            }

            result[key] = value.ToString().Trim();
        }

        return result;
    }

    /// <summary>A response body that disposes its response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
