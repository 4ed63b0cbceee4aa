namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// A canary secret (the password of the registry pushed to) planted in docker config and in the environment appears
/// nowhere but in requests to that registry: not in the console, a binary log, the metadata file or an archive, and
/// not in any request to the base image's registry, which the publish reads through the project's proxy.
/// </summary>
[Collection(PublishCollection.Name)]
public class SecretTests(PublishFixture fixture, ITestOutputHelper output)
{
    private const string Canary = TestCredentials.Password;

    private static string Encoded => Convert.ToBase64String(Encoding.UTF8.GetBytes(TestCredentials.Pair));

    private string Project(string baseImage, string extraProperties) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="MultiArchContainers.Sdk" Version="{fixture.PackageVersion}" />
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ContainerRegistry>{fixture.AuthRegistry.Address}</ContainerRegistry>
            <ContainerRepository>secret/app</ContainerRepository>
            <ContainerBaseImage>{baseImage}</ContainerBaseImage>
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerImageTags>1.0</ContainerImageTags>
            <ContainerMetadataFile>out/metadata.json</ContainerMetadataFile>
            {extraProperties}
          </PropertyGroup>
        </Project>
        """;

    private static void AssertNoCanary(string where, byte[] content)
    {
        Assert.False(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Canary)) >= 0, $"the secret is in {where}");
        Assert.False(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Encoded)) >= 0, $"the encoded secret is in {where}");
    }

    [Fact]
    public async Task ASecretInDockerConfigReachesOnlyItsRegistryAtEveryVerbosityAndInTheBinaryLog()
    {
        await using LimitingProxy baseRegistry = LimitingProxy.Start(fixture.Registry);
        using var sandbox = new Sandbox(fixture, Project($"{baseRegistry.Address}/{PublishFixture.BaseRepository}:{PublishFixture.BaseTag}", string.Empty));
        string dockerConfig = Directory.CreateDirectory(Path.Combine(sandbox.Folder, ".docker")).FullName;
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"), new JsonObject
        {
            ["auths"] = new JsonObject { [fixture.AuthRegistry.Address] = new JsonObject { ["auth"] = Encoded } },
        }.ToJsonString());
        string binlog = Path.Combine(sandbox.Folder, "build.binlog");

        ProcessResult result = (await sandbox.PublishAsync("-v:diag", $"-bl:{binlog}")).Succeeded(output);

        AssertNoCanary("the console output", Encoding.UTF8.GetBytes(result.Combined));
        using (var log = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
        using (var content = new MemoryStream())
        {
            log.CopyTo(content);
            AssertNoCanary("the binary log", content.ToArray());
        }

        AssertNoCanary("the metadata file", File.ReadAllBytes(Path.Combine(sandbox.Folder, "out", "metadata.json")));
        Assert.NotEmpty(baseRegistry.Requests);
        Assert.All(baseRegistry.Requests, r => Assert.Null(r.Authorization));
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{fixture.AuthRegistry.Address}/secret/app", TestCredentials.Pair));
    }

    [Fact]
    public async Task ASecretInTheEnvironmentReachesOnlyItsRegistryAndNoArchive()
    {
        await using LimitingProxy baseRegistry = LimitingProxy.Start(fixture.Registry);
        using var sandbox = new Sandbox(fixture, Project($"{baseRegistry.Address}/{PublishFixture.BaseRepository}:{PublishFixture.BaseTag}", string.Empty));
        sandbox.Environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = TestCredentials.User;
        sandbox.Environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = Canary;

        // MSBuild itself writes every environment variable into -v:diag output and binary logs (docs/security.md);
        // everything this SDK writes is checked here.
        ProcessResult pushed = (await sandbox.PublishAsync("-v:detailed")).Succeeded(output);
        ProcessResult archived = (await sandbox.PublishAsync("-v:detailed", "-p:ContainerArchiveOutputPath=out/image.tar")).Succeeded(output);

        AssertNoCanary("the console output", Encoding.UTF8.GetBytes(pushed.Combined + archived.Combined));
        AssertNoCanary("the metadata file", File.ReadAllBytes(Path.Combine(sandbox.Folder, "out", "metadata.json")));
        AssertNoCanary("the archive", File.ReadAllBytes(Path.Combine(sandbox.Folder, "out", "image.tar")));
        Assert.All(baseRegistry.Requests, r => Assert.Null(r.Authorization));
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{fixture.AuthRegistry.Address}/secret/app", TestCredentials.Pair));
    }
}
