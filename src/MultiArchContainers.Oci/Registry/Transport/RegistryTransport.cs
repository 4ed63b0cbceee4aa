using System.Net.Sockets;
using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>
/// The HTTP side of one registry client: the handler chain (redirects, then auth, then retries, then sockets that
/// refuse link-local, multicast and unspecified addresses), the time limits, and the translation of transport
/// failures into coded errors. Nothing else in the client touches HTTP plumbing.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _http;

    public RegistryTransport(RegistrySettings settings, ICredentialSource credentials, IReadOnlyList<TimeSpan> retryDelays, Action<string>? onRetry)
    {
        Settings = settings;
        Responses = new RegistryResponses(settings.Registry, settings.InactivityTimeout);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.ConnectTimeout,
            ConnectCallback = ConnectAsync,
        };
        var retry = new RetryHandler(settings.Registry, retryDelays, onRetry, sockets);
        var auth = new AuthenticationHandler(settings, credentials, retry);
        _http = new HttpClient(new RedirectHandler(settings.Registry, auth)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("MultiArchContainers/1.0");
    }

    public RegistrySettings Settings { get; }

    /// <summary>Reads and judges this registry's answers.</summary>
    public RegistryResponses Responses { get; }

    public string Registry => Settings.Registry;

    /// <summary>A URL of the registry from path parts that were validated before (repository, tag, digest).</summary>
    public Uri Url(string path) => new(Settings.BaseAddress, path);

    /// <summary>
    /// Sends a request and returns once the answer's headers are in. The inactivity timeout counts from the start, from
    /// every write of the body (streamed or in memory: a slow upload whose bytes flow goes on), and from the last byte
    /// for the headers. No progress within it, a refused or lost connection: MAC1001 naming the registry and the request.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string what = RegistryRequest.WhatOf(request);
        using var watchdog = new Watchdog(cancellationToken, Settings.InactivityTimeout);
        if (request.Content is { } content and not ProgressContent)
        {
            request.Content = new ProgressContent(content, watchdog);
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.RegistryUnreachable, Registry, $"no answer within {Settings.InactivityTimeout.TotalSeconds:0} s while {what}"), null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            // Content that failed its own check while it was being sent says so itself.
            if (Inner<MultiArchException>(ex) is { } known)
            {
                throw known;
            }

            throw new RegistryException(Diagnostic.Error(MessageIds.RegistryUnreachable, Registry, Describe(ex, what)), null, null, ex);
        }
    }

    /// <summary>The answer's body as a stream that gives up after the inactivity timeout without a byte, and disposes the answer.</summary>
    public async Task<Stream> OpenBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Responses, what);

    public static string Describe(HttpRequestException ex, string what)
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

    private static T? Inner<T>(Exception ex)
        where T : Exception
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Connects only to addresses a registry can have: never link-local (metadata services), multicast or unspecified.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        string host = context.DnsEndPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        IPAddress[] allowed = addresses.Where(a => !TokenRealm.IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new SocketException((int)SocketError.AccessDenied, $"'{host}' is a link-local, multicast or unspecified address, which is refused");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
