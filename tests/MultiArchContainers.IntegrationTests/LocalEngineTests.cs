namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// A project without ContainerRegistry (and without an archive) publishes into the local container engine, as the .NET
/// SDK does: here the real Podman. Every platform is loaded, and a manifest list under each tag lists them with their
/// platforms and descriptor annotations, read back with podman's own commands.
/// </summary>
[Collection(PublishCollection.Name)]
public class LocalEngineTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static async Task<ProcessResult> PodmanAsync(params string[] arguments) =>
        await ProcessRunner.RunAsync("podman", arguments, Path.GetTempPath(), new Dictionary<string, string?>(), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task WithoutARegistryEveryPlatformGoesToPodmanAsOneListPerTag()
    {
        string repository = "engine/app-" + Guid.NewGuid().ToString("N")[..8];
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRepository>{repository}</ContainerRepository>
            <ContainerImageTags>1.0;latest</ContainerImageTags>
            """,
            """
            <ContainerIndexAnnotation Include="com.example.index" Value="on the index" />
            <ContainerDescriptorAnnotation Include="com.example.entry" Value="x64: entry" RuntimeIdentifier="linux-x64" />
            """);
        try
        {
            ProcessResult result = await sandbox.PublishAsync();
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
            Assert.Contains($"app -> {repository}:1.0, {repository}:latest in podman ", result.StandardOutput, StringComparison.Ordinal);

            int major = int.Parse((await PodmanAsync("version", "--format", "{{.Client.Version}}")).StandardOutput.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            foreach (string tag in new[] { "1.0", "latest" })
            {
                ProcessResult inspected = await PodmanAsync("manifest", "inspect", $"{repository}:{tag}");
                Assert.True(inspected.ExitCode == 0, inspected.Combined);
                JsonNode list = JsonNode.Parse(inspected.StandardOutput)!;
                JsonNode[] entries = list["manifests"]!.AsArray().Select(e => e!).ToArray();
                Assert.Equal(["linux/amd64", "linux/arm64/v8"], entries.Select(e => $"{e["platform"]!["os"]}/{e["platform"]!["architecture"]}{(e["platform"]!["variant"] is { } v ? "/" + v : string.Empty)}"));
                Assert.Equal("x64: entry", entries[0]["annotations"]!["com.example.entry"]!.GetValue<string>());
                Assert.Null(entries[1]["annotations"]?["com.example.entry"]);
                if (major >= 5)
                {
                    Assert.Equal("on the index", list["annotations"]!["com.example.index"]!.GetValue<string>());
                }
                else
                {
                    Assert.Contains("warning MAC2104", result.StandardOutput, StringComparison.Ordinal);
                    Assert.Contains("com.example.index", result.StandardOutput, StringComparison.Ordinal);
                }

                // Each platform's image is in Podman's storage under the digest the list names, with its own config.
                foreach ((JsonNode entry, string architecture) in entries.Zip(["amd64", "arm64"]))
                {
                    ProcessResult image = await PodmanAsync("image", "inspect", "--format", "{{.Os}}/{{.Architecture}} {{.Config.Entrypoint}}", $"{repository}@{entry["digest"]}");
                    Assert.True(image.ExitCode == 0, image.Combined);
                    Assert.Equal($"linux/{architecture} [dotnet /app/app.dll]", image.StandardOutput.Trim());
                }
            }

            // A second publish moves both names to its new list, as tags move in a registry.
            File.AppendAllText(Path.Combine(sandbox.Folder, "Program.cs"), "\n// changed\n");
            ProcessResult again = await sandbox.PublishAsync();
            Assert.True(again.ExitCode == 0, again.Combined);
            Assert.Equal(2, JsonNode.Parse((await PodmanAsync("manifest", "inspect", $"{repository}:latest")).StandardOutput)!["manifests"]!.AsArray().Count);
        }
        finally
        {
            await PodmanAsync("manifest", "rm", $"{repository}:1.0", $"{repository}:latest");
        }
    }

    [Fact]
    public async Task WithoutARegistryAnArchiveOrAnEngineTheErrorNamesAllThreeBeforeAnyBuild()
    {
        string bin = Directory.CreateTempSubdirectory("mac-path-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), Path.Combine(Path.GetDirectoryName(Environment.ProcessPath!)!, "dotnet"));
            using var sandbox = fixture.SandboxWith("<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>");
            sandbox.Environment["PATH"] = bin;

            ProcessResult result = await sandbox.PublishAsync();
            output.WriteLine(result.Combined);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Empty(result.NotPrinted(
                "error MAC2028", "'docker' is not on PATH; 'podman' is not on PATH", "Set ContainerRegistry", "ContainerArchiveOutputPath"));
            Assert.Empty(result.Printed("Building image"));

            ProcessResult named = await sandbox.PublishAsync("-p:LocalRegistry=Containerd");
            Assert.Contains("error MAC2029", named.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("LocalRegistry is 'Containerd'", named.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
