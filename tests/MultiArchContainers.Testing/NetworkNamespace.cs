namespace MultiArchContainers.Testing;

/// <summary>
/// A network namespace joined to this machine by a veth pair: the closest this machine gets to a second host.
/// <see cref="HostAddress"/> is this side of the pair, <see cref="NamespaceAddress"/> the namespace's. Needs root and
/// iproute2. Disposing deletes the namespace (and with it the pair).
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name, string hostAddress, string namespaceAddress)
    {
        Name = name;
        HostAddress = hostAddress;
        NamespaceAddress = namespaceAddress;
    }

    public string Name { get; }

    public string HostAddress { get; }

    public string NamespaceAddress { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        int n = Random.Shared.Next(1, 250);
        string name = $"macnode{n}x{Environment.ProcessId % 1000}";
        string hostLink = $"mach{n}x{Environment.ProcessId % 1000}";
        string nsLink = $"macn{n}x{Environment.ProcessId % 1000}";
        var ns = new NetworkNamespace(name, $"10.231.{n}.1", $"10.231.{n}.2");
        string[][] steps =
        [
            ["netns", "add", name],
            ["link", "add", hostLink, "type", "veth", "peer", "name", nsLink],
            ["link", "set", nsLink, "netns", name],
            ["addr", "add", $"{ns.HostAddress}/30", "dev", hostLink],
            ["link", "set", hostLink, "up"],
            ["netns", "exec", name, "ip", "addr", "add", $"{ns.NamespaceAddress}/30", "dev", nsLink],
            ["netns", "exec", name, "ip", "link", "set", nsLink, "up"],
            ["netns", "exec", name, "ip", "link", "set", "lo", "up"],
        ];
        foreach (string[] step in steps)
        {
            ProcessResult result = await ProcessRunner.RunAsync("ip", step);
            if (result.ExitCode != 0)
            {
                await ns.DisposeAsync();
                throw new InvalidOperationException($"ip {string.Join(' ', step)} failed (network namespaces need root and iproute2): {result.Combined}");
            }
        }

        return ns;
    }

    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync("ip", ["netns", "delete", Name]);
}
