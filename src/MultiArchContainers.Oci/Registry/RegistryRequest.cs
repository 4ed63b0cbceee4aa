using System.Net.Http.Headers;
using MultiArchContainers.Oci.Registry.Transport;

namespace MultiArchContainers.Oci.Registry;

/// <summary>What a registry request carries for the handlers: its auth scope, how to name it, whether it may be sent again.</summary>
internal static class RegistryRequest
{
    /// <summary>The token scope, such as <c>repository:team/app:pull</c>; tokens are cached by it.</summary>
    public static readonly HttpRequestOptionsKey<string> Scope = new("multiarch.scope");

    /// <summary>The request in words, for messages: <c>reading team/app:1.0</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> What = new("multiarch.what");

    /// <summary>Set on upload steps: a transient answer restarts the whole upload instead of resending the step.</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("multiarch.no-retry");

    public static HttpRequestMessage Create(HttpMethod method, Uri uri, string? scope, string what, HttpContent? content = null, bool retry = true)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Options.Set(Scope, scope ?? string.Empty);
        request.Options.Set(What, what);
        request.Options.Set(NoRetry, !retry);
        return request;
    }

    public static string WhatOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(What, out string? what) ? what : $"{request.Method} {request.RequestUri?.AbsolutePath}";

    /// <summary>Whether the request can go out again as it is: no body, or a body held in memory.</summary>
    public static bool CanResend(HttpRequestMessage request) => request.Content is null or ByteArrayContent or ProgressContent { Inner: ByteArrayContent };

    /// <summary>A copy for a redirect: same method, Accept and options; never the Authorization header.</summary>
    public static HttpRequestMessage RedirectTo(HttpRequestMessage request, Uri target)
    {
        var copy = new HttpRequestMessage(request.Method, target);
        foreach (MediaTypeWithQualityHeaderValue accept in request.Headers.Accept)
        {
            copy.Headers.Accept.Add(accept);
        }

        foreach (KeyValuePair<string, object?> option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }
}
