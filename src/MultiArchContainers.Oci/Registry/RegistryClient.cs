using System.Net.Http.Headers;
using MultiArchContainers.Oci.Registry.Transport;
using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// A client for one registry, following the OCI distribution spec: <c>/v2/</c> ping, manifests by tag or digest,
/// blob existence, cross-repository mount and upload. Auth, retries and redirects are handlers of its transport;
/// uploads are its <see cref="BlobUploader"/>'s. Everything read by digest is verified, and every read is bounded.
/// </summary>
internal sealed class RegistryClient : IRegistryClient
{
    private static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private readonly Lazy<(RegistryTransport Transport, BlobUploader Uploader)> _parts;
    private readonly SemaphoreSlim? _oneAtATime;

    /// <param name="registry">host[:port].</param>
    /// <param name="credentials">Where credentials come from; the docker config and the environment by default.</param>
    /// <param name="environment">The environment to read; the process's by default.</param>
    /// <param name="role">Whether this registry is pushed to, which decides the environment credentials it gets.</param>
    public RegistryClient(string registry, ICredentialSource? credentials = null, Func<string, string?>? environment = null, RegistryRole role = RegistryRole.Push)
        : this(ValidSettings(registry, environment), credentials ?? new DockerConfigCredentialSource(environment, role))
    {
    }

    public RegistryClient(RegistrySettings settings, ICredentialSource credentials)
    {
        Settings = settings;
        _oneAtATime = settings.ParallelUploads ? null : new SemaphoreSlim(1, 1);
        _parts = new(() =>
        {
            var transport = new RegistryTransport(settings, credentials, RetryDelays, OnRetry);
            return (transport, new BlobUploader(transport, RetryDelays, OnRetry));
        });
    }

    public RegistrySettings Settings { get; }

    /// <summary>How long to wait before each new try after a transient answer; its length is the number of retries.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = DefaultRetryDelays;

    /// <summary>Told about every retry, with what was asked, the answer and the wait.</summary>
    public Action<string>? OnRetry { get; init; }

    /// <summary>Bytes per PATCH of a blob upload, or null while blobs go in one request.</summary>
    public int? UploadChunkSize => Uploader.ChunkSize;

    public string Registry => Settings.Registry;

    public Uri BaseAddress => Settings.BaseAddress;

    private RegistryTransport Transport => _parts.Value.Transport;

    private BlobUploader Uploader => _parts.Value.Uploader;

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "v2/", null, "the API version check", cancellationToken).ConfigureAwait(false);
        await Transport.Responses.EnsureSuccessAsync(response, "GET /v2/", cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        string what = $"GET {repository}/manifests/{reference}";
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, RegistryPaths.Manifest(repository, reference), PullScope(repository), $"reading {repository}:{reference}", cancellationToken, acceptManifests: true).ConfigureAwait(false);
        await Transport.Responses.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        byte[] content = await Transport.Responses.ReadBoundedAsync(response, RegistryResponses.DocumentLimit, what, "a manifest", cancellationToken).ConfigureAwait(false);
        Digest? expected = Digest.TryParse(reference, out Digest byDigest) ? byDigest
            : Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out Digest fromHeader) ? fromHeader
            : null;
        Digest actual = expected?.Of(content) ?? Digest.Sha256(content);
        if (expected is { } required && actual != required)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.DigestMismatch, $"{repository}:{reference}", Registry, actual, required), response.StatusCode, null);
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeOf(content, what);
        return new ManifestContent(content, mediaType, actual);
    }

    public async Task<byte[]?> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        string what = $"GET {repository}/referrers/{subject}";
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, RegistryPaths.Referrers(repository, subject), PullScope(repository), $"reading the referrers of {repository}@{subject}", cancellationToken, acceptManifests: true).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != MediaTypes.OciIndex)
        {
            return null;
        }

        return await Transport.Responses.ReadBoundedAsync(response, RegistryResponses.DocumentLimit, what, "a referrers index", cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> ManifestSizeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        (bool found, long? length, _) = await HeadAsync(RegistryPaths.Manifest(repository, digest.ToString()), repository, acceptManifests: true, cancellationToken).ConfigureAwait(false);
        return !found ? null
            : length ?? throw RegistryResponses.Invalid(Registry, $"HEAD {repository}/manifests/{digest}", "the answer has no Content-Length", null);
    }

    public async Task<Digest?> ResolveManifestAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        (bool found, _, Digest? digest) = await HeadAsync(RegistryPaths.Manifest(repository, tag), repository, acceptManifests: true, cancellationToken).ConfigureAwait(false);
        if (!found)
        {
            return null;
        }

        // A registry that names no Docker-Content-Digest (the header is not required): the digest of what it serves.
        return digest ?? (await GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false)).Digest;
    }

    /// <summary>
    /// The repository's tags, every page: a registry that pages the list names the next page in a <c>Link</c> header,
    /// which is followed on this registry's origin only, for at most <see cref="TagPageLimit"/> pages.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        string? path = RegistryPaths.Tags(repository);
        for (int page = 0; path is not null; page++)
        {
            if (page == TagPageLimit)
            {
                throw RegistryResponses.Invalid(Registry, $"GET {repository}/tags/list", $"the tags list goes on past {TagPageLimit} pages", null);
            }

            string what = $"GET {repository}/tags/list";
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, PullScope(repository), $"listing the tags of {repository}", cancellationToken).ConfigureAwait(false);
            await Transport.Responses.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
            byte[] body = await Transport.Responses.ReadBoundedAsync(response, RegistryResponses.DocumentLimit, what, "a tags list", cancellationToken).ConfigureAwait(false);
            tags.AddRange(RegistryDocuments.Parse<TagList>(body, Registry, repository, "its tags list").Tags ?? []);
            path = NextPage(response, what);
        }

        return tags;
    }

    /// <summary>The most pages of a tags list read (a registry that pages forever is refused).</summary>
    public const int TagPageLimit = 1000;

    /// <summary>The path and query of the <c>rel="next"</c> page a response's Link header names, or null on the last page.</summary>
    private string? NextPage(HttpResponseMessage response, string what)
    {
        string? link = response.Headers.TryGetValues("Link", out IEnumerable<string>? values) ? string.Join(",", values) : null;
        string? target = link?.Split(',').Select(part => part.Trim())
            .Where(part => part.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) || part.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
            .Select(part => part.StartsWith('<') && part.IndexOf('>', StringComparison.Ordinal) is > 0 and int end ? part[1..end] : null)
            .FirstOrDefault();
        if (target is null)
        {
            return null;
        }

        Uri next = new(Settings.BaseAddress, target);
        return next.GetLeftPart(UriPartial.Authority) == Settings.BaseAddress.GetLeftPart(UriPartial.Authority) && next.AbsolutePath.StartsWith("/v2/", StringComparison.Ordinal)
            ? next.PathAndQuery.TrimStart('/')
            : throw RegistryResponses.Invalid(Registry, what, $"the next page is on another origin or path ({SafeText.Escape(next.GetLeftPart(UriPartial.Path))})", response.StatusCode);
    }

    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        (await HeadAsync(RegistryPaths.Blob(repository, digest), repository, acceptManifests: false, cancellationToken).ConfigureAwait(false)).Found;

    public async Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Put, RegistryPaths.Manifest(repository, reference), PushScope(repository), $"pushing {repository}:{reference}", cancellationToken, content: body).ConfigureAwait(false);
        await Transport.Responses.EnsureSuccessAsync(response, $"PUT {repository}/manifests/{reference}", cancellationToken).ConfigureAwait(false);
        Digest digest = Digest.Sha256(content);
        if (Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out Digest stored) && stored.Algorithm == digest.Algorithm && stored != digest)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.DigestMismatch, $"{repository}:{reference}", Registry, stored, digest), response.StatusCode, null);
        }

        return digest;
    }

    public async Task<Stream> OpenBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await SendAsync(HttpMethod.Get, RegistryPaths.Blob(repository, digest), PullScope(repository), $"reading {repository}@{digest}", cancellationToken).ConfigureAwait(false);
        try
        {
            await Transport.Responses.EnsureSuccessAsync(response, $"GET {repository}/blobs/{digest}", cancellationToken).ConfigureAwait(false);
            Stream body = await Transport.OpenBodyAsync(response, $"reading {repository}@{digest}", cancellationToken).ConfigureAwait(false);
            return new VerifyingStream(body, digest, size, $"{repository}@{digest}", Registry);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        string what = $"GET {repository}/blobs/{digest}";
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, RegistryPaths.Blob(repository, digest), PullScope(repository), $"reading {repository}@{digest}", cancellationToken).ConfigureAwait(false);
        await Transport.Responses.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        byte[] content = await Transport.Responses.ReadBoundedAsync(response, RegistryResponses.DocumentLimit, what, "a config", cancellationToken).ConfigureAwait(false);
        Digest actual = digest.Of(content);
        return actual == digest
            ? content
            : throw new RegistryException(Diagnostic.Error(MessageIds.DigestMismatch, $"{repository}@{digest}", Registry, actual, digest), response.StatusCode, null);
    }

    public async Task<bool> TryMountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        string path = RegistryPaths.Mount(repository, digest, fromRepository);
        try
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, $"{PushScope(repository)} {PullScope(fromRepository)}", $"mounting {digest} into {repository}", cancellationToken, content: new ByteArrayContent([])).ConfigureAwait(false);

            // 202 opens an upload session the caller does not need (the blob was not mounted); the registry expires it.
            return response.StatusCode == HttpStatusCode.Created;
        }
        catch (RegistryException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || ex.Diagnostic.Code == "MAC1007")
        {
            // No right to read the other repository (a token for both scopes is refused): the blob is uploaded instead.
            return false;
        }
    }

    /// <summary>
    /// Uploads a blob; content that is not checked on its way already (a registry's or an archive's) is checked here.
    /// Without parallel uploads (<see cref="RegistrySettings.ParallelUploads"/>), one blob at a time.
    /// </summary>
    public async Task UploadBlobAsync(string repository, Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken)
    {
        if (_oneAtATime is { } gate)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Uploader.UploadAsync(repository, digest, size, () =>
            {
                Stream content = open();
                return content as VerifyingStream ?? new VerifyingStream(content, digest, size, $"{repository}@{digest}", "the content to upload");
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime?.Release();
        }
    }

    public void Dispose()
    {
        _oneAtATime?.Dispose();
        if (_parts.IsValueCreated)
        {
            Transport.Dispose();
        }
    }

    private static RegistrySettings ValidSettings(string registry, Func<string, string?>? environment) =>
        ImageReference.IsValidRegistry(registry)
            ? RegistrySettings.FromEnvironment(registry, environment)
            : throw new MultiArchException(MessageIds.InvalidReference, registry, "registry", "expected host[:port]");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? scope, string what, CancellationToken cancellationToken, bool acceptManifests = false, HttpContent? content = null)
    {
        using HttpRequestMessage request = RegistryRequest.Create(method, Transport.Url(path), scope, what, content);
        if (acceptManifests)
        {
            foreach (string type in MediaTypes.ManifestAccept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }
        }

        return await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One HEAD: whether the thing is there, its Content-Length and its Docker-Content-Digest.</summary>
    private async Task<(bool Found, long? Length, Digest? Digest)> HeadAsync(string path, string repository, bool acceptManifests, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Head, path, PullScope(repository), $"checking {path}", cancellationToken, acceptManifests).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (false, null, null);
        }

        await Transport.Responses.EnsureSuccessAsync(response, $"HEAD {path}", cancellationToken).ConfigureAwait(false);
        Digest? digest = Digest.TryParse(HeaderValue(response, "Docker-Content-Digest"), out Digest named) ? named : null;
        return (true, response.Content.Headers.ContentLength, digest);
    }

    private static string PullScope(string repository) => RegistryPaths.Scope(repository, "pull");

    private static string PushScope(string repository) => RegistryPaths.Scope(repository, "pull,push");

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private string MediaTypeOf(byte[] content, string what)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("mediaType", out JsonElement type)
                && type.ValueKind == JsonValueKind.String && type.GetString() is { } text ? text : MediaTypes.OciManifest;
        }
        catch (JsonException ex)
        {
            throw RegistryResponses.Invalid(Registry, what, "the manifest is not JSON", null, ex);
        }
    }
}
