namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// Compile once: an ordinary app is compiled once for every RID (an AnyCPU assembly, as a portable publish ships); a
/// RID whose compile would differ compiles on its own; a referenced project builds once however many RIDs build; and
/// ContainerCompileOnce=false compiles each RID as the SDK does.
/// </summary>
[Collection(PublishCollection.Name)]
public class CompileOnceTests(PublishFixture fixture, ITestOutputHelper output)
{
    private async Task<ProcessResult> PublishAsync(Sandbox sandbox, params string[] arguments)
    {
        ProcessResult result = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n", .. arguments]);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        return result;
    }

    /// <summary>How many times the compiler ran for <paramref name="project"/>, from the build's own log.</summary>
    private static int Compiles(ProcessResult result, string project) =>
        result.StandardOutput.Split('\n').Count(line => line.Contains("CompilerServer:", StringComparison.Ordinal) && line.TrimEnd().EndsWith($"- {project} (net10.0)", StringComparison.Ordinal));

    /// <summary>The machine field of a PE file's header: 0x14c for an AnyCPU assembly, 0x8664 x64, 0xaa64 arm64.</summary>
    private static int Machine(byte[] pe) => BitConverter.ToUInt16(pe, BitConverter.ToInt32(pe, 0x3c) + 4);

    [Fact]
    public async Task ARidWithItsOwnDefineCompilesAloneAndEachImageHoldsItsOwnCode()
    {
        using var sandbox = fixture.SandboxWith(
            fixture.Publishing("team/compiled-per-rid", "latest") + PublishFixture.ImageIsThePublish + """
            <DefineConstants Condition="'$(RuntimeIdentifier)' == 'linux-arm64'">$(DefineConstants);ARM_BUILD</DefineConstants>
            """);
        string registry = fixture.Registry.Address;
        File.WriteAllText(Path.Combine(sandbox.Folder, "Program.cs"), """
            #if ARM_BUILD
            System.Console.WriteLine("code for arm64");
            #else
            System.Console.WriteLine("code for every RID");
            #endif
            """);

        ProcessResult result = await PublishAsync(sandbox);

        // The build without a RID compiles, linux-x64 takes its assembly, linux-arm64 compiles its own.
        Assert.Equal(2, Compiles(result, "app"));
        Assert.Contains("app: this RID compiles on its own: setting DefineConstants changed", result.StandardOutput, StringComparison.Ordinal);
        PlatformImageContent amd64 = await PlatformImageContent.ReadAsync($"{registry}/team/compiled-per-rid:latest", "amd64");
        PlatformImageContent arm64 = await PlatformImageContent.ReadAsync($"{registry}/team/compiled-per-rid:latest", "arm64", "v8");
        Assert.Equal("code for every RID\n", await amd64.RunAsync("app/app.dll"));
        Assert.Equal("code for arm64\n", await arm64.RunAsync("app/app.dll"));
        Assert.Equal(0x14c, Machine(amd64.AppFiles["app/app.dll"]));
        Assert.Equal(0x14c, Machine(arm64.AppFiles["app/app.dll"]));

        // ContainerCompileOnce=false: each RID compiles, for its own architecture, as the SDK does.
        ProcessResult perRid = await PublishAsync(sandbox, "-p:ContainerCompileOnce=false");
        Assert.Equal(2, Compiles(perRid, "app"));
        Assert.Equal(0x8664, Machine((await PlatformImageContent.ReadAsync($"{registry}/team/compiled-per-rid:latest", "amd64")).AppFiles["app/app.dll"]));
        Assert.Equal(0xaa64, Machine((await PlatformImageContent.ReadAsync($"{registry}/team/compiled-per-rid:latest", "arm64", "v8")).AppFiles["app/app.dll"]));
    }

    [Fact]
    public async Task FourRidsBuildAReferencedProjectOnceInEveryCleanPublish()
    {
        string registry = fixture.Registry.Address;
        StubRuntimePacks.Write(fixture.Feed, "linux-arm", "linux-s390x");
        await BaseImageSeeder.SeedAsync(registry, "dotnet/four-platforms", "10.0",
            [.. BaseImageSeeder.DefaultPlatforms, new Platform { Os = "linux", Architecture = "arm", Variant = "v7" }, new Platform { Os = "linux", Architecture = "s390x" }]);
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64;linux-arm;linux-s390x</ContainerRuntimeIdentifiers>
            <ContainerRegistry>{registry}</ContainerRegistry>
            <ContainerRepository>team/four-rids</ContainerRepository>
            <ContainerPublishMultiArch>true</ContainerPublishMultiArch>
            <DefaultItemExcludes>$(DefaultItemExcludes);lib/**</DefaultItemExcludes>
            """,
            """<ProjectReference Include="lib/Lib.csproj" />""",
            $"{registry}/dotnet/four-platforms:10.0");
        Directory.CreateDirectory(Path.Combine(sandbox.Folder, "lib"));
        File.WriteAllText(Path.Combine(sandbox.Folder, "lib", "Lib.csproj"), """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""");
        File.WriteAllText(Path.Combine(sandbox.Folder, "lib", "Lib.cs"), "public static class Lib { public static string Text => \"from the library\"; }\n");
        File.WriteAllText(Path.Combine(sandbox.Folder, "Program.cs"), "System.Console.WriteLine(Lib.Text);\n");

        for (int run = 0; run < 3; run++)
        {
            foreach (string folder in new[] { "bin", "obj", "lib/bin", "lib/obj" }.Select(o => Path.Combine(sandbox.Folder, o)).Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }

            ProcessResult result = await PublishAsync(sandbox);

            // One build of the library for all four RIDs: no two builds write its bin and obj at once.
            Assert.Equal(1, result.StandardOutput.Split('\n').Count(line => line.Contains("is building \"" + Path.Combine(sandbox.Folder, "lib", "Lib.csproj") + "\"", StringComparison.Ordinal) && line.Contains("(default targets)", StringComparison.Ordinal)));
            Assert.Equal(1, Compiles(result, "Lib"));
            Assert.Equal(1, Compiles(result, "app"));
            string index = await Skopeo.InspectRawAsync($"{registry}/team/four-rids:latest");
            Assert.Equal(4, System.Text.Json.Nodes.JsonNode.Parse(index)!["manifests"]!.AsArray().Count);
        }

        Assert.Equal("from the library\n", await (await PlatformImageContent.ReadAsync($"{registry}/team/four-rids:latest", "s390x")).RunAsync("app/app.dll"));
    }
}
