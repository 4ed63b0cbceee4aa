using System.Net.Sockets;

namespace MultiArchContainers.Testing;

/// <summary>
/// A real CNCF distribution registry (Debian's <c>docker-registry</c>) on a free 127.0.0.1 port with a throwaway
/// storage folder. Disposing stops it and deletes the storage.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;
    private TokenServer? _tokenServer;

    private RegistryProcess(Process process, string root, int port, string host)
    {
        (_process, _root, Port, Host) = (process, root, port, host);
    }

    public int Port { get; }

    public string Host { get; }

    /// <summary>host:port, as ContainerRegistry takes it.</summary>
    public string Address => $"{Host}:{Port}";

    public static string BinaryPath => Environment.GetEnvironmentVariable("MULTIARCH_REGISTRY_BINARY") ?? "/usr/bin/docker-registry";

    /// <summary>The token service of a registry started with bearer auth, else null.</summary>
    public TokenServer? TokenServer => _tokenServer;

    /// <summary>
    /// Starts a registry; <paramref name="basicAuth"/> turns on basic auth for <see cref="TestCredentials"/>,
    /// <paramref name="bearerAuth"/> the token flow through a <see cref="Testing.TokenServer"/>.
    /// </summary>
    /// <param name="host">The address to listen on; loopback unless a test gives its own (a veth address).</param>
    public static async Task<RegistryProcess> StartAsync(bool basicAuth = false, bool bearerAuth = false, string host = "127.0.0.1")
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"The registry binary '{BinaryPath}' is missing. Install it with 'apt-get install -y docker-registry' (./build.sh test does this when run as root).");
        }

        string root = Directory.CreateTempSubdirectory("mac-registry-").FullName;
        int port = FreePort();
        string htpasswdFile = Path.Combine(root, "htpasswd");
        await File.WriteAllTextAsync(htpasswdFile, TestCredentials.HtpasswdLine + "\n");
        TokenServer? tokenServer = bearerAuth ? TokenServer.Start(root) : null;
        string auth = basicAuth ? $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswdFile}
            """
            : tokenServer is not null ? $"""
            auth:
              token:
                realm: {tokenServer.Realm}
                service: "{TokenServer.Service}"
                issuer: {TokenServer.Issuer}
                rootcertbundle: {tokenServer.RootCertificatePath}
            """
            : string.Empty;
        string config = $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(root, "data")}
              delete:
                enabled: true
            http:
              addr: {host}:{port}
            {auth}
            """;
        string configPath = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(configPath, config);
        var start = new ProcessStartInfo(BinaryPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var registry = new RegistryProcess(process, root, port, host) { _tokenServer = tokenServer };
        await registry.WaitUntilReadyAsync();
        return registry;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_tokenServer is not null)
        {
            await _tokenServer.DisposeAsync();
        }

        TestFolders.DeleteQuietly(_root);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The registry exited with code {_process.ExitCode} before answering.");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync($"http://{Address}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The registry on {Address} did not answer within 10 seconds.");
    }
}
