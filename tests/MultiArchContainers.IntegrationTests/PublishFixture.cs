namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// Shared by the publish tests: a registry seeded with a two-platform base image, a registry with basic auth,
/// a folder feed holding the freshly packed SDK package, and one private NuGet cache for every sandbox.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
    public const string BaseRepository = "dotnet/runtime";
    public const string BaseTag = "10.0";

    /// <summary>A base image that offers linux/amd64 only.</summary>
    public const string Amd64OnlyRepository = "dotnet/runtime-amd64-only";

    public RegistryProcess Registry { get; private set; } = null!;

    public RegistryProcess AuthRegistry { get; private set; } = null!;

    public string Root { get; private set; } = null!;

    public string Feed => Path.Combine(Root, "feed");

    public string NuGetPackages => Path.Combine(Root, "nuget-packages");

    public string PackageVersion { get; private set; } = null!;

    public string BaseImage => $"{Registry.Address}/{BaseRepository}:{BaseTag}";

    /// <summary>The property that makes a plain <c>dotnet publish</c> the multi-arch image.</summary>
    public const string ImageIsThePublish = "<ContainerPublishMultiArch>true</ContainerPublishMultiArch>";

    /// <summary>The properties most tests publish with: both RIDs, pushed to <see cref="Registry"/> as repository:tags.</summary>
    public string Publishing(string repository, string tags = "1.0") =>
        $"<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers><ContainerRegistry>{Registry.Address}</ContainerRegistry>"
        + $"<ContainerRepository>{repository}</ContainerRepository><ContainerImageTags>{tags}</ContainerImageTags>";

    /// <summary>
    /// A console app that references the package under test and the seeded base image (or <paramref name="baseImage"/>),
    /// with <paramref name="properties"/>, <paramref name="items"/> and <paramref name="targets"/> added.
    /// </summary>
    public string Project(string properties, string items = "", string? baseImage = null, string targets = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="MultiArchContainers.Sdk" Version="{PackageVersion}" />
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ContainerBaseImage>{baseImage ?? BaseImage}</ContainerBaseImage>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
          {targets}
        </Project>
        """;

    /// <summary>A sandbox holding <see cref="Project"/> of these arguments.</summary>
    public Sandbox SandboxWith(string properties, string items = "", string? baseImage = null) => new(this, Project(properties, items, baseImage));

    public async Task InitializeAsync()
    {
        (string package, string version) = RepositoryLayout.FindSdkPackage();
        PackageVersion = version;
        Root = Directory.CreateTempSubdirectory("mac-publish-").FullName;
        Directory.CreateDirectory(Feed);
        File.Copy(package, Path.Combine(Feed, Path.GetFileName(package)));
        Registry = await RegistryProcess.StartAsync();
        AuthRegistry = await RegistryProcess.StartAsync(basicAuth: true);
        await BaseImageSeeder.SeedAsync(Registry.Address, BaseRepository, BaseTag);
        await BaseImageSeeder.SeedAsync(Registry.Address, Amd64OnlyRepository, BaseTag, [BaseImageSeeder.DefaultPlatforms[0]]);
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        await AuthRegistry.DisposeAsync();
        TestFolders.DeleteQuietly(Root);
    }
}

[CollectionDefinition(Name)]
public sealed class PublishCollection : ICollectionFixture<PublishFixture>
{
    public const string Name = "publish";
}
