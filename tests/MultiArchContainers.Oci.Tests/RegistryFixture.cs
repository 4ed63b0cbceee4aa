using MultiArchContainers.Testing;

namespace MultiArchContainers.Oci.Tests;

/// <summary>One real registry for the registry tests, and a second one with basic auth.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    /// <summary>The user and password of the authenticated registry (a throwaway pair for this process only).</summary>
    public const string User = "tester";
    public const string Password = "s3cret-pw";

    // bcrypt of Password, as docker-registry's htpasswd file wants it.
    private const string HtpasswdLine = "tester:$2b$05$uwMXwCYt2IBxTzIUw54R0eBGYZxef0nxUuMYNaLjbE7yXVBHXvpf.";

    private string? _htpasswd;

    public RegistryProcess Registry { get; private set; } = null!;

    public RegistryProcess AuthRegistry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await RegistryProcess.StartAsync();
        _htpasswd = Path.GetTempFileName();
        await File.WriteAllTextAsync(_htpasswd, HtpasswdLine + "\n");
        AuthRegistry = await RegistryProcess.StartAsync(_htpasswd);
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        await AuthRegistry.DisposeAsync();
        File.Delete(_htpasswd!);
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
