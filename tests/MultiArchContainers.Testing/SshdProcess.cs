using System.Net.Sockets;

namespace MultiArchContainers.Testing;

/// <summary>
/// A real OpenSSH server (Debian's <c>openssh-server</c>) on a free loopback port, with a throwaway host key and user
/// key. Sessions get their own HOME, NUGET_PACKAGES and DOTNET_CLI_HOME below <see cref="NodeRoot"/>, so anything a
/// build on the "node" needs must travel over the connection. Disposing stops it and deletes its files.
/// </summary>
public sealed class SshdProcess : IAsyncDisposable
{
    private Process? _process;
    private NetworkNamespace? _network;

    private SshdProcess(string root, int port, string host)
    {
        Root = root;
        Port = port;
        Host = host;
    }

    public string Host { get; }

    public string Root { get; }

    public int Port { get; }

    /// <summary>The node's own HOME and package cache live here.</summary>
    public string NodeRoot => Path.Combine(Root, "node");

    /// <summary>The private key that logs in as the current user.</summary>
    public string UserKey => Path.Combine(Root, "user_key");

    public string Address => $"ssh://{Environment.UserName}@{Host}:{Port}";

    /// <param name="network">When given, sshd runs inside this namespace and listens on its address.</param>
    /// <param name="environment">More variables for the node's sessions, as NAME=value.</param>
    public static async Task<SshdProcess> StartAsync(NetworkNamespace? network = null, params string[] environment)
    {
        const string Sshd = "/usr/sbin/sshd";
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException("sshd is missing. Install it with 'apt-get install -y openssh-server' (./build.sh test does this when run as root).");
        }

        string root = Directory.CreateTempSubdirectory("mac-sshd-").FullName;
        var sshd = new SshdProcess(root, RegistryProcess.FreePort(), network?.NamespaceAddress ?? "127.0.0.1");
        sshd._network = network;
        foreach (string key in new[] { "host_key", "user_key" })
        {
            ProcessResult made = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(root, key)]);
            if (made.ExitCode != 0)
            {
                throw new InvalidOperationException("ssh-keygen failed: " + made.Combined);
            }
        }

        Directory.CreateDirectory(Path.Combine(sshd.NodeRoot, "home"));
        Directory.CreateDirectory("/run/sshd");
        string config = Path.Combine(root, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {sshd.Port}
            ListenAddress {sshd.Host}
            HostKey {Path.Combine(root, "host_key")}
            PidFile none
            UsePAM no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AuthorizedKeysFile {Path.Combine(root, "user_key.pub")}
            StrictModes no
            SetEnv HOME={sshd.NodeRoot}/home NUGET_PACKAGES={sshd.NodeRoot}/nuget DOTNET_CLI_HOME={sshd.NodeRoot}/home DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 {string.Join(' ', environment)}

            """);
        await sshd.StartProcessAsync(config);
        return sshd;
    }

    /// <summary>Starts the stopped server again, same port, keys and node folders (the node is back).</summary>
    public Task RestartAsync() => StartProcessAsync(Path.Combine(Root, "sshd_config"));

    /// <summary>Stops the server (the node goes away) without deleting its files.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        TestFolders.DeleteQuietly(Root);
    }

    private async Task StartProcessAsync(string config)
    {
        string[] command = _network is null
            ? ["/usr/sbin/sshd", "-D", "-e", "-f", config]
            : ["ip", "netns", "exec", _network.Name, "/usr/sbin/sshd", "-D", "-e", "-f", config];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                // A namespace's address is reachable from here through its veth pair.
                await client.ConnectAsync(Host, Port);

                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"sshd did not listen on port {Port}.");
    }
}
