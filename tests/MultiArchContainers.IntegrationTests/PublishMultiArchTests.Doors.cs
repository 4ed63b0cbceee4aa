using System.Security;

namespace MultiArchContainers.IntegrationTests;

/// <summary>The ways a publish starts: the SDK doors, a dotnet task host, platform tags, a publish profile, the target switch.</summary>
public partial class PublishMultiArchTests
{
    [Fact]
    public async Task WorksThroughGlobalJsonMsbuildSdksWithRidsFromRuntimeIdentifiers()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/msbuild-sdks";
        using var sandbox = new Sandbox(
            fixture,
            Project(repository, registry, "<RuntimeIdentifiers>linux-arm64;linux-x64</RuntimeIdentifiers><ContainerImageTag>edge</ContainerImageTag><ContainerGenerateAnnotations>false</ContainerGenerateAnnotations>"),
            $"\"MultiArchContainers.Sdk\": \"{fixture.PackageVersion}\"");

        AssertSucceeded(await sandbox.PublishAsync());

        // Generated annotations turned off: nothing was declared, so the index has none.
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:edge"))!;
        Assert.Null(index["annotations"]);
        Assert.Equal(["arm64", "amd64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        Assert.Equal(["edge"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
    }

    /// <summary>
    /// Visual Studio 2026 runs MSBuild on .NET Framework and these tasks in a .NET task host. Here MSBuild runs on .NET,
    /// told to select as under Visual Studio, so every task of a whole publish runs in an external .NET task host.
    /// </summary>
    [Fact]
    public async Task AWholePublishWorksWithEveryTaskInADotnetTaskHostAsUnderVisualStudio2026()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/task-host";
        using var sandbox = new Sandbox(fixture, Project(repository, registry,
            "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers><ContainerImageTags>vs</ContainerImageTags>"
            + "<_MultiArchMSBuildRuntimeType>Full</_MultiArchMSBuildRuntimeType><_MultiArchMSBuildVersion>18.0.5</_MultiArchMSBuildVersion>",
            "<ContainerIndexAnnotation Include=\"com.example.host\" Value=\"task host\" />", fixture.PackageVersion));

        ProcessResult result = await sandbox.PublishAsync("-v:d");
        AssertSucceeded(result);

        foreach (string task in new[] { "PlanMultiArch", "PushPlatformImages", "CombineImageIndex", "PushImageIndex", "ReportImageIndex" })
        {
            Assert.Matches($"Launching task \"{task}\" from assembly \".*MultiArchContainers.Tasks.dll\" in an external task host", result.StandardOutput);
        }

        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:vs"))!;
        Assert.Equal("task host", index["annotations"]!["com.example.host"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WorksAsAPackageReference()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/package-reference";
        using var sandbox = new Sandbox(fixture, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
                <ContainerRegistry>{registry}</ContainerRegistry>
                <ContainerRepository>{repository}</ContainerRepository>
                <ContainerBaseImage>{fixture.BaseImage}</ContainerBaseImage>
                <ContainerImageTags>2.0</ContainerImageTags>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MultiArchContainers.Sdk" Version="{fixture.PackageVersion}" PrivateAssets="all" />
                <ContainerIndexAnnotation Include="com.example.door" Value="package: reference" />
              </ItemGroup>
            </Project>
            """);

        AssertSucceeded(await sandbox.PublishAsync());

        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:2.0"))!;
        Assert.Equal("package: reference", index["annotations"]!["com.example.door"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        Assert.Equal(["2.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
    }

    [Fact]
    public async Task PlatformTagsAreOptInAndNameEachChildOfTheIndex()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/platform-tags";
        string metadata = Path.Combine(Path.GetTempPath(), $"mac-metadata-{Guid.NewGuid():N}.json");
        using var sandbox = new Sandbox(fixture, Project(repository, registry, $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerImageTags>3.0;stable</ContainerImageTags>
            <ContainerPlatformTags>true</ContainerPlatformTags>
            <ContainerMetadataFile>{metadata}</ContainerMetadataFile>
            """, sdkVersion: fixture.PackageVersion));

        AssertSucceeded(await sandbox.PublishAsync());

        Assert.Equal(
            ["3.0", "3.0-linux-arm64", "3.0-linux-x64", "stable", "stable-linux-arm64", "stable-linux-x64"],
            await Skopeo.ListTagsAsync($"{registry}/{repository}"));
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:3.0"))!;
        foreach (JsonNode? child in index["manifests"]!.AsArray())
        {
            string rid = child!["platform"]!["architecture"]!.GetValue<string>() == "arm64" ? "linux-arm64" : "linux-x64";
            string raw = await Skopeo.InspectRawAsync($"{registry}/{repository}:stable-{rid}");
            Assert.Equal(child["digest"]!.GetValue<string>(), Digest.Sha256(Encoding.UTF8.GetBytes(raw)).ToString());
        }

        JsonNode written = JsonNode.Parse(await File.ReadAllTextAsync(metadata))!;
        File.Delete(metadata);
        Assert.Equal(["3.0-linux-x64", "stable-linux-x64"], written["platforms"]![0]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task APublishProfileTurnsAPlainPublishIntoAMultiArchPublish()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/from-profile";
        using var sandbox = new Sandbox(fixture, Project(repository, registry, sdkVersion: fixture.PackageVersion));
        string profiles = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "Properties", "PublishProfiles")).FullName;
        File.WriteAllText(Path.Combine(profiles, "MultiArch.pubxml"), """
            <Project>
              <PropertyGroup>
                <ContainerPublishMultiArch>true</ContainerPublishMultiArch>
                <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
                <ContainerImageTags>4.0</ContainerImageTags>
              </PropertyGroup>
            </Project>
            """);

        ProcessResult result = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n", "-p:PublishProfile=MultiArch"]);
        AssertSucceeded(result);

        Assert.Single(result.StandardOutput.Split('\n'), line => line.Contains("Pushed image index", StringComparison.Ordinal));
        Assert.Equal(["4.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:4.0"))!;
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));

        // The image is the whole publish: no build or folder without a RID, only the per-RID ones.
        Assert.Contains("no folder without a runtime identifier is published", result.StandardOutput, StringComparison.Ordinal);
        string output = Path.Combine(sandbox.Folder, "bin", "Release", "net10.0");
        Assert.Equal(["linux-arm64", "linux-x64"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "linux-x64", "publish", "app.dll")));

        // The same project published for one RID (a CI fan-out job, a build node) does not go on to the multi-arch publish.
        ProcessResult single = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n", "-p:PublishProfile=MultiArch",
            "-t:PublishPlatformImage", "-p:ContainerRuntimeIdentifier=linux-x64"]);
        AssertSucceeded(single);
        Assert.DoesNotContain("Pushed image index", single.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["4.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
    }

    [Fact]
    public async Task TargetPublishMultiArchPublishesTheImageAloneUnlessPublishIsNamedToo()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/no-folder";
        using var sandbox = new Sandbox(fixture, Project(repository, registry, """
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerImageTags>1.0</ContainerImageTags>
            """, sdkVersion: fixture.PackageVersion));
        string output = Path.Combine(sandbox.Folder, "bin", "Release", "net10.0");

        // dotnet publish -t:PublishMultiArch: the folder without a RID, which dotnet publish makes first, is not made.
        ProcessResult result = await sandbox.PublishAsync();
        AssertSucceeded(result);
        Assert.Contains("no folder without a runtime identifier is published", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["linux-arm64", "linux-x64"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));

        // Naming Publish as well asks for the folder, and gets it beside the image.
        ProcessResult both = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-t:Publish;PublishMultiArch", "-nologo", "-v:n",
            "-p:ContainerImageTags=2.0"]);
        AssertSucceeded(both);
        Assert.DoesNotContain("no folder without a runtime identifier is published", both.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "publish", "app.dll")));
        Assert.Equal(["1.0", "2.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
    }
}
