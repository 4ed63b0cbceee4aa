namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// A RID list given on the command line or in the environment, in every form that reaches MSBuild whole, means the
/// same two RIDs: for restore (RuntimeIdentifiers), for the plan, and in the pushed index.
/// </summary>
[Collection(PublishCollection.Name)]
public class RidListTests(PublishFixture fixture, ITestOutputHelper output)
{
    private Sandbox NewSandbox(string repository) => new(fixture, fixture.Project(
        $"""
        <ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>
        <ContainerRepository>{repository}</ContainerRepository>
        <ContainerImageTags>1.0</ContainerImageTags>
        """));

    /// <summary>The documented form for bash, PowerShell and cmd, and a comma list exported in CI, each published.</summary>
    [Theory]
    [InlineData("escaped", "-p:ContainerRuntimeIdentifiers=linux-x64%3Blinux-arm64", null)]
    [InlineData("environment", null, "linux-x64, linux-arm64")]
    public async Task EachFormPublishesBothPlatforms(string name, string? argument, string? environment)
    {
        using Sandbox sandbox = NewSandbox("team/rids-" + name);
        if (environment is not null)
        {
            sandbox.Environment["ContainerRuntimeIdentifiers"] = environment;
        }

        ProcessResult result = await sandbox.PublishAsync(argument is null ? [] : [argument]);
        output.WriteLine(result.Combined);

        Assert.True(result.ExitCode == 0, result.Combined);
        using var index = JsonDocument.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/team/rids-{name}:1.0"));
        Assert.Equal(
            ["amd64", "arm64"],
            index.RootElement.GetProperty("manifests").EnumerateArray()
                .Select(m => m.GetProperty("platform"))
                .Where(p => p.GetProperty("os").GetString() == "linux")
                .Select(p => p.GetProperty("architecture").GetString()!));
    }

    /// <summary>What each form evaluates to: the RID list of the plan and the RIDs restore gets.</summary>
    [Theory]
    [InlineData("-p:ContainerRuntimeIdentifiers=linux-x64%3Blinux-arm64")]
    [InlineData("-p:ContainerRuntimeIdentifiers=\"linux-x64;linux-arm64\"")]
    [InlineData("-p:ContainerRuntimeIdentifiers=\"linux-x64,linux-arm64\"")]
    [InlineData("-p:ContainerRuntimeIdentifiers=\"linux-x64 , linux-arm64;\"")]
    [InlineData("-p:ContainerRuntimeIdentifiers=linux-x64%2Clinux-arm64")]
    public async Task EachFormIsTwoRidsForThePlanAndForRestore(string argument)
    {
        using Sandbox sandbox = NewSandbox("team/rids-evaluated");

        ProcessResult result = await sandbox.DotnetAsync(["msbuild", sandbox.ProjectPath, "-nologo", argument, "-getProperty:_MultiArchRids", "-getProperty:RuntimeIdentifiers"]);

        Assert.True(result.ExitCode == 0, result.Combined);
        using var properties = JsonDocument.Parse(result.StandardOutput);
        JsonElement values = properties.RootElement.GetProperty("Properties");
        Assert.Equal("linux-x64;linux-arm64", values.GetProperty("_MultiArchRids").GetString());
        Assert.Equal(["linux-x64", "linux-arm64"], values.GetProperty("RuntimeIdentifiers").GetString()!.Split(';'));
    }
}
