using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MultiArchContainers.Oci.Registry.Transport;

namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>
/// Answers a registry's auth challenge: Basic with the registry's credential, or Bearer with a token from the
/// challenge's realm, cached by scope. Credentials and tokens go only to the registry's own origin (scheme, host and
/// port): never to an upload location or a redirect elsewhere, and to a token realm only when it meets
/// <see cref="TokenRealm"/>'s rules.
/// </summary>
internal sealed class AuthenticationHandler : DelegatingHandler
{
    private readonly RegistrySettings _settings;
    private readonly ICredentialSource _credentials;
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _byScope = new(StringComparer.Ordinal);

    public AuthenticationHandler(RegistrySettings settings, ICredentialSource credentials, HttpMessageHandler inner)
        : base(inner)
    {
        _settings = settings;
        _credentials = credentials;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool registryOrigin = IsRegistryOrigin(request.RequestUri);
        string scope = request.Options.TryGetValue(RegistryRequest.Scope, out string? s) ? s : string.Empty;
        request.Headers.Authorization = registryOrigin && _byScope.TryGetValue(scope, out AuthenticationHeaderValue? cached) ? cached : null;
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !registryOrigin || !RegistryRequest.CanResend(request)
            || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
        {
            return response;
        }

        AuthenticationHeaderValue? authorization = await AuthorizeAsync(challenge, scope, cancellationToken).ConfigureAwait(false);
        if (authorization is null)
        {
            return response;
        }

        response.Dispose();
        _byScope[scope] = authorization;
        request.Headers.Authorization = authorization;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The registry's own origin, compared as scheme, host and port.</summary>
    private bool IsRegistryOrigin(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
        && Uri.Compare(uri, _settings.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The header that answers <paramref name="challenge"/>, or null when there is nothing to answer it with.</summary>
    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthenticationHeaderValue challenge, string scope, CancellationToken cancellationToken)
    {
        RegistryCredential? credential = await _credentials.GetAsync(_settings.Registry, cancellationToken).ConfigureAwait(false);
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return credential is null ? null : BasicHeader(credential);
        }

        return challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? await FetchTokenAsync(AuthChallenge.Parse(challenge.Parameter ?? string.Empty), scope, credential, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Secret}")));

    private async Task<AuthenticationHeaderValue> FetchTokenAsync(Dictionary<string, string> challenge, string scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        string? realmText = challenge.GetValueOrDefault("realm");
        Uri realm = TokenRealm.Check(realmText, _settings.PlainHttp, out string? problem)
            ?? throw new RegistryException(Diagnostic.Error(MessageIds.TokenRealmRefused, _settings.Registry, HostOf(realmText), problem), HttpStatusCode.Unauthorized, null);

        var query = new List<string>();
        if (challenge.TryGetValue("service", out string? service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        string? requested = challenge.TryGetValue("scope", out string? challengeScope) ? challengeScope : scope;
        if (!string.IsNullOrEmpty(requested))
        {
            query.AddRange(requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => "scope=" + Uri.EscapeDataString(s)));
        }

        var builder = new UriBuilder(realm);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));
        string tokenService = realm.GetLeftPart(UriPartial.Path);
        using HttpRequestMessage request = RegistryRequest.Create(HttpMethod.Get, builder.Uri, null, $"requesting a token from {tokenService}");
        if (credential is not null)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.RegistryUnreachable, realm.Authority, RegistryTransport.Describe(ex, "requesting a token")), null, null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(Diagnostic.Error(MessageIds.TokenRequestFailed, tokenService, _settings.Registry, (int)response.StatusCode), response.StatusCode, null);
            }

            byte[] body = await new RegistryResponses(tokenService, _settings.InactivityTimeout).ReadBoundedAsync(response, RegistryResponses.TokenLimit, "the token request", "a token answer", cancellationToken).ConfigureAwait(false);
            string? token = null;
            try
            {
                using JsonDocument json = JsonDocument.Parse(body);
                token = json.RootElement.ValueKind != JsonValueKind.Object ? null
                    : json.RootElement.TryGetProperty("token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                    : json.RootElement.TryGetProperty("access_token", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString()
                    : null;
            }
            catch (JsonException)
            {
                // Not JSON: no token, reported below without the body, which may hold a secret.
            }

            if (string.IsNullOrEmpty(token) || token.Any(char.IsControl))
            {
                throw new RegistryException(Diagnostic.Error(MessageIds.TokenRequestFailed, tokenService, _settings.Registry, (int)response.StatusCode), response.StatusCode, null);
            }

            return new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The realm's host[:port] for a message (never its user info), or what it is instead.</summary>
    private static string HostOf(string? realm) =>
        Uri.TryCreate(realm, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri.Authority
            : realm?.Length > 0 ? "(not an http or https URL)" : "(none)";
}
