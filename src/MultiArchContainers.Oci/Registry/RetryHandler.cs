using System.Net;
using System.Net.Sockets;

namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// Sends a request again after an answer that says "try again later" (HTTP 429, 500, 502, 503, 504) or a connection
/// lost before the answer, waiting the registry's Retry-After (at most a minute) or the next of the delays. Requests
/// marked <see cref="RegistryRequest.NoRetry"/> (upload steps) and requests whose body streams are sent once.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly string _registry;
    private readonly IReadOnlyList<TimeSpan> _delays;
    private readonly Action<string>? _onRetry;

    public RetryHandler(string registry, IReadOnlyList<TimeSpan> delays, Action<string>? onRetry, HttpMessageHandler inner)
        : base(inner)
    {
        _registry = registry;
        _delays = delays;
        _onRetry = onRetry;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool retryable = !(request.Options.TryGetValue(RegistryRequest.NoRetry, out bool noRetry) && noRetry) && RegistryRequest.CanResend(request);
        for (int attempt = 0; ; attempt++)
        {
            bool last = !retryable || attempt >= _delays.Count;
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!last && IsConnectionLost(ex))
            {
                await WaitAsync(request, "the connection closed before an answer", _delays[attempt], cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return response;
            }

            TimeSpan delay = RetryDelay(response, _delays[attempt]);
            string answer = $"HTTP {(int)response.StatusCode}";
            response.Dispose();
            await WaitAsync(request, answer, delay, cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>Says that <paramref name="what"/> is tried again, then waits.</summary>
    public static async Task WaitAsync(string registry, string what, string answer, TimeSpan delay, Action<string>? onRetry, CancellationToken cancellationToken)
    {
        onRetry?.Invoke($"The registry '{registry}' answered {what} with {answer}; trying again in {delay.TotalSeconds:0.#} s.");
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private Task WaitAsync(HttpRequestMessage request, string answer, TimeSpan delay, CancellationToken cancellationToken) =>
        WaitAsync(_registry, RegistryRequest.WhatOf(request), answer, delay, _onRetry, cancellationToken);

    /// <summary>The registry's Retry-After (a delay or a date, at most a minute), else <paramref name="fallback"/>.</summary>
    public static TimeSpan RetryDelay(HttpResponseMessage response, TimeSpan fallback)
    {
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        return asked is { } wait && wait > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(wait.Ticks, TimeSpan.FromMinutes(1).Ticks)) : fallback;
    }
}
