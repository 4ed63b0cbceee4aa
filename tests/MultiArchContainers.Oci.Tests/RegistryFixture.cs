namespace MultiArchContainers.Oci.Tests;

/// <summary>One real registry for the registry tests, and a second one with basic auth.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public RegistryProcess Registry { get; private set; } = null!;

    public RegistryProcess AuthRegistry { get; private set; } = null!;

    public RegistryProcess TokenRegistry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await RegistryProcess.StartAsync();
        AuthRegistry = await RegistryProcess.StartAsync(basicAuth: true);
        TokenRegistry = await RegistryProcess.StartAsync(bearerAuth: true);
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        await AuthRegistry.DisposeAsync();
        await TokenRegistry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
