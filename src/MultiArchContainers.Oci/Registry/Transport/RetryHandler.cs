using System.Net.Sockets;

namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>
/// Sends a request again after an answer that says "try again later" (HTTP 429, 500, 502, 503, 504) or a connection
/// lost before the answer, waiting the registry's Retry-After (at most a minute) or the next of the delays. Requests
/// marked <see cref="RegistryRequest.NoRetry"/> (upload steps) and requests whose body streams are sent once.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly RetryLoop _loop;

    public RetryHandler(string registry, IReadOnlyList<TimeSpan> delays, Action<string>? onRetry, HttpMessageHandler inner)
        : base(inner) => _loop = new RetryLoop(registry, delays, onRetry);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool retryable = !(request.Options.TryGetValue(RegistryRequest.NoRetry, out bool noRetry) && noRetry) && RegistryRequest.CanResend(request);
        return _loop.RunAsync<HttpResponseMessage>(RegistryRequest.WhatOf(request), retryable, async last =>
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!last && IsConnectionLost(ex))
            {
                return (null, new TryAgain("the connection closed before an answer"));
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return (response, null);
            }

            var again = new TryAgain($"HTTP {(int)response.StatusCode}", AskedDelay(response));
            response.Dispose();
            return (null, again);
        }, cancellationToken);
    }

    /// <summary>Answers that say "try again later" rather than "no".</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>A connection that closed or was reset before or while the answer came.</summary>
    public static bool IsConnectionLost(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }
        || ex.InnerException is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } }
        || ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown };

    /// <summary>The registry's Retry-After (a delay or a date, at most a minute), or null when it gave none.</summary>
    public static TimeSpan? AskedDelay(HttpResponseMessage response)
    {
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        return asked is { } wait && wait > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(wait.Ticks, TimeSpan.FromMinutes(1).Ticks)) : null;
    }
}
