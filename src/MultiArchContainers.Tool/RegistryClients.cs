using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tool;

/// <summary>
/// One client per registry for one command, disposed with it. The registry the command writes to gets the push
/// credentials of the environment, every other registry only the pull ones: the rule the MSBuild tasks follow.
/// </summary>
internal sealed class RegistryClients : IDisposable
{
    private readonly Dictionary<string, IRegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _pushRegistry;
    private readonly ToolConsole _console;

    public RegistryClients(string pushRegistry, ToolConsole console)
    {
        _pushRegistry = pushRegistry;
        _console = console;
    }

    public IRegistryClient For(string registry)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(registry, out IRegistryClient? client))
            {
                RegistryRole role = registry.Equals(_pushRegistry, StringComparison.OrdinalIgnoreCase) ? RegistryRole.Push : RegistryRole.Pull;
                client = new ProgressRegistryClient(new RegistryClient(registry, role: role) { OnRetry = _console.Info }, _console);
                _clients[registry] = client;
            }

            return client;
        }
    }

    public void Dispose()
    {
        foreach (IRegistryClient client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
