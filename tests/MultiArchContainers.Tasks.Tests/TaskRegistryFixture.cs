namespace MultiArchContainers.Tasks.Tests;

/// <summary>A real registry seeded with the two-platform base image, shared by the task and target tests.</summary>
public sealed class TaskRegistryFixture : IAsyncLifetime
{
    public const string BaseRepository = "base/runtime";

    public RegistryProcess Registry { get; private set; } = null!;

    public string BaseImage => $"{Registry.Address}/{BaseRepository}:10.0";

    public async Task InitializeAsync()
    {
        Registry = await RegistryProcess.StartAsync();
        await BaseImageSeeder.SeedAsync(Registry.Address, BaseRepository, "10.0");
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class TaskRegistryCollection : ICollectionFixture<TaskRegistryFixture>
{
    public const string Name = "task-registry";
}
