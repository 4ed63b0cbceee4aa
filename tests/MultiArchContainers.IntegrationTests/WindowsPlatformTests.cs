namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// Windows next to Linux in one index, from a base image that lists linux/amd64 and windows/amd64 with os.version (the
/// shape of the .NET base images): each per-RID build starts from its platform's base manifest, and the index entry of
/// the Windows image carries the base's os.version.
/// </summary>
[Collection(PublishCollection.Name)]
public class WindowsPlatformTests(PublishFixture fixture, ITestOutputHelper output)
{
    private const string OsVersion = "10.0.20348.2700";

    [Fact]
    public async Task LinuxAndWindowsImagesShareOneIndexWithTheWindowsOsVersion()
    {
        Platform windows = new() { Os = "windows", Architecture = "amd64", OsVersion = OsVersion };
        await BaseImageSeeder.SeedAsync(fixture.Registry.Address, "base/mixed", "10.0", [BaseImageSeeder.DefaultPlatforms[0], windows]);
        string reference = $"{fixture.Registry.Address}/team/mixed";
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;win-x64</ContainerRuntimeIdentifiers>
            <ContainerBaseImage>{fixture.Registry.Address}/base/mixed:10.0</ContainerBaseImage>
            <ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>
            <ContainerRepository>team/mixed</ContainerRepository>
            <ContainerImageTags>1.0</ContainerImageTags>
            """);

        ProcessResult result = await sandbox.PublishAsync();
        output.WriteLine(result.Combined);

        Assert.True(result.ExitCode == 0, result.Combined);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:1.0"))!;
        JsonNode[] entries = index["manifests"]!.AsArray().Select(e => e!).Where(e => e["platform"]!["os"]!.GetValue<string>() != "unknown").ToArray();
        Assert.Equal(["linux", "windows"], entries.Select(e => e["platform"]!["os"]!.GetValue<string>()));
        Assert.Null(entries[0]["platform"]!["os.version"]);
        Assert.Equal(OsVersion, entries[1]["platform"]!["os.version"]!.GetValue<string>());

        // skopeo reads the Windows image's config as windows, with the base's os.version, and the image's first layer is
        // the base's Windows layer, byte for byte.
        string windowsImage = $"{reference}@{entries[1]["digest"]!.GetValue<string>()}";
        JsonNode config = await Skopeo.InspectConfigAsync(windowsImage, "amd64");
        Assert.Equal(("windows", OsVersion), (config["os"]!.GetValue<string>(), config["os.version"]!.GetValue<string>()));
        JsonNode manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(windowsImage))!;
        string baseLayer = TestImage.Create(windows).LayerDescriptor.Digest.ToString();
        Assert.Equal(baseLayer, manifest["layers"]![0]!["digest"]!.GetValue<string>());
        JsonNode linuxManifest = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}@{entries[0]["digest"]!.GetValue<string>()}"))!;
        Assert.Equal(TestImage.Create(BaseImageSeeder.DefaultPlatforms[0]).LayerDescriptor.Digest.ToString(), linuxManifest["layers"]![0]!["digest"]!.GetValue<string>());
    }
}
