using System.Security.Cryptography.X509Certificates;

namespace MultiArchContainers.Testing;

/// <summary>
/// A minimal token service for docker-registry's <c>auth: token</c> mode, on loopback: it checks basic credentials
/// (<see cref="TestCredentials"/>) and answers with a JWT signed by a throwaway certificate that the registry trusts
/// through <see cref="RootCertificatePath"/>. It grants whatever the scope asks for. Like hosted token services, it
/// is strict about the service: a request must name it exactly as the registry's challenge gave it (a name with a
/// space and a '+', which only survive proper query encoding), or it is refused with 400.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "multiarch test+registry";
    public const string Issuer = "multiarch-test-issuer";

    private readonly HttpListener _listener;
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;

    private TokenServer(string folder)
    {
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=multiarch test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        RootCertificatePath = Path.Combine(folder, "token-root.pem");
        File.WriteAllText(RootCertificatePath, _certificate.ExportCertificatePem());
        Port = RegistryProcess.FreePort();
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    public string RootCertificatePath { get; }

    /// <summary>How many tokens were issued; a test can see that bearer auth really ran.</summary>
    public int TokensIssued { get; private set; }

    public static TokenServer Start(string folder) => new(folder);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }

        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using HttpListenerResponse response = context.Response;
        string? authorization = context.Request.Headers["Authorization"];
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TestCredentials.Pair));
        if (authorization != expected)
        {
            response.StatusCode = 401;
            return;
        }

        if (context.Request.QueryString["service"] != Service)
        {
            response.StatusCode = 400;
            return;
        }

        var access = new JsonArray();
        foreach (string scope in context.Request.QueryString.GetValues("scope") ?? [])
        {
            string[] parts = scope.Split(':');
            if (parts.Length == 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray(parts[2].Split(',').Select(a => (JsonNode)a).ToArray()),
                });
            }
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = TestCredentials.User,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        string signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        string token = signingInput + "." + Base64Url(signature);
        TokensIssued++;

        byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = token, ["expires_in"] = 300 }.ToJsonString());
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
