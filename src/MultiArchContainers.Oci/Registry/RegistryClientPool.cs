namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// One client per registry for one publish or merge, made on first use and disposed with the pool. Each gets the
/// environment credentials its role allows (<see cref="RegistryRole"/>): the registry written to the push ones, a
/// registry the project or the command line names the pull ones, and a registry that only a file names (a metadata
/// file of a CI artifact) none at all: a tampered file cannot collect the environment's secrets. Docker config
/// credentials and helpers stay per registry for all of them.
/// </summary>
internal sealed class RegistryClientPool : IDisposable
{
    private readonly Dictionary<string, IRegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _pushRegistry;
    private readonly HashSet<string> _named;
    private readonly Func<string, RegistryRole, IRegistryClient> _create;

    /// <param name="pushRegistry">The registry written to; empty when nothing is pushed.</param>
    /// <param name="namedRegistries">Registries the project or the command line names (base image, sources given as references).</param>
    /// <param name="create">Makes a client for a registry and its role.</param>
    public RegistryClientPool(string pushRegistry, IEnumerable<string> namedRegistries, Func<string, RegistryRole, IRegistryClient> create)
    {
        _pushRegistry = pushRegistry;
        _named = new HashSet<string>(namedRegistries.Where(r => r.Length > 0), StringComparer.OrdinalIgnoreCase);
        _create = create;
    }

    /// <summary>The role of <paramref name="registry"/> in this pool.</summary>
    public RegistryRole RoleOf(string registry) => RoleOf(registry, _pushRegistry, _named.Contains(registry));

    /// <summary>
    /// The rule every client of this project is made by: the registry written to gets the push credentials, one the
    /// project or the command line names (<paramref name="named"/>) the pull ones, any other none from the environment.
    /// </summary>
    public static RegistryRole RoleOf(string registry, string pushRegistry, bool named) =>
        registry.Equals(pushRegistry, StringComparison.OrdinalIgnoreCase) ? RegistryRole.Push
        : named ? RegistryRole.Pull
        : RegistryRole.NamedByFile;

    public IRegistryClient For(string registry)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(registry, out IRegistryClient? client))
            {
                client = _create(registry, RoleOf(registry));
                _clients[registry] = client;
            }

            return client;
        }
    }

    /// <summary>
    /// The registries <paramref name="sources"/> name themselves, as image references on the command line or in the
    /// project: not the ones in metadata files or archives, which only a file names.
    /// </summary>
    public static IEnumerable<string> NamedBy(IEnumerable<string> sources) =>
        sources.Where(s => !s.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !File.Exists(s))
            .Select(s => ImageReference.TryParse(s, out _)?.Registry ?? string.Empty)
            .Where(r => r.Length > 0);

    public void Dispose()
    {
        lock (_clients)
        {
            foreach (IRegistryClient client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }
}
