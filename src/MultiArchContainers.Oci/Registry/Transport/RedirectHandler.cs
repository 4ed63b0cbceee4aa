namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>
/// Follows a registry's redirects of reads (blob downloads often go to a storage host) at most five times. The copy
/// carries no Authorization, and the auth handler adds one only when the target is the registry itself. A redirect
/// from https to http is refused.
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    private const int MaxRedirects = 5;
    private readonly string _registry;

    public RedirectHandler(string registry, HttpMessageHandler inner)
        : base(inner)
    {
        _registry = registry;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpRequestMessage current = request;
        for (int hop = 0; ; hop++)
        {
            HttpResponseMessage response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location
                || (current.Method != HttpMethod.Get && current.Method != HttpMethod.Head))
            {
                return response;
            }

            Uri target = location.IsAbsoluteUri ? location : new Uri(current.RequestUri!, location);
            string what = RegistryRequest.WhatOf(current);
            response.Dispose();
            if (hop >= MaxRedirects || (current.RequestUri!.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
                || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
            {
                throw RegistryResponses.Invalid(_registry, what, hop >= MaxRedirects ? "more than five redirects" : $"a redirect to {target.Scheme}://{target.Authority}, which is refused", response.StatusCode);
            }

            current = RegistryRequest.RedirectTo(current, target);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
