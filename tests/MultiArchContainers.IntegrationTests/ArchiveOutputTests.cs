namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public class ArchiveOutputTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static JsonNode ReadIndexJson(string archive)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "index.json")
            {
                using var text = new StreamReader(entry.DataStream!);
                return JsonNode.Parse(text.ReadToEnd())!;
            }
        }

        throw new InvalidOperationException("index.json is missing from " + archive);
    }

    [Fact]
    public async Task PublishMultiArchWritesAnOciArchiveThatSkopeoCopiesToTheSameDigest()
    {
        using var sandbox = fixture.SandboxWith(
            """
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRepository>team/archived</ContainerRepository>
            <ContainerImageTags>1.0;latest</ContainerImageTags>
            """,
            """<ContainerIndexAnnotation Include="com.example.archived" Value="yes: ü" />""");
        string archive = Path.Combine(sandbox.Folder, "out", "image.tar");
        IReadOnlyList<string> before = await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address);

        ProcessResult result = await sandbox.PublishAsync($"-p:ContainerArchiveOutputPath={archive}", "-p:ContainerAnnotations=\"index-descriptor:com.example.layout=outer\"");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.Equal(before, await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address));

        JsonNode layout = ReadIndexJson(archive);
        JsonArray entries = layout["manifests"]!.AsArray();
        Assert.Equal(["1.0", "latest"], entries.Select(e => e!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("outer", e!["annotations"]!["com.example.layout"]!.GetValue<string>()));
        string digest = entries[0]!["digest"]!.GetValue<string>();

        ProcessResult inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}:1.0"]);
        Assert.True(inspect.ExitCode == 0, inspect.Combined);
        string raw = inspect.StandardOutput.TrimEnd('\n');
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("yes: ü", index["annotations"]!["com.example.archived"]!.GetValue<string>());
        Assert.Null(index["annotations"]!["com.example.layout"]);
        Assert.Equal(2, index["manifests"]!.AsArray().Count);

        string target = $"{fixture.Registry.Address}/team/from-archive:1.0";
        ProcessResult copy = await ProcessRunner.RunAsync("skopeo", ["copy", "--all", "--preserve-digests", "--dest-tls-verify=false", $"oci-archive:{archive}:1.0", $"docker://{target}"]);
        Assert.True(copy.ExitCode == 0, copy.Combined);
        Assert.Equal(raw, await Skopeo.InspectRawAsync(target));

        // The archive is also a MergeMultiArch source: its children land, unchanged, in a registry.
        // With platform tags, each child is also tagged; an archive records no RID, so the tag names the platform.
        ProcessResult merged = await sandbox.DotnetAsync(["msbuild", sandbox.ProjectPath, "-nologo", "-restore", "-t:MergeMultiArch",
            $"-p:ContainerMergeSources={archive}:latest", $"-p:ContainerRegistry={fixture.Registry.Address}", "-p:ContainerRepository=team/merged-archive",
            "-p:ContainerPlatformTags=true"]);
        output.WriteLine(merged.Combined);
        Assert.True(merged.ExitCode == 0, merged.Combined);
        JsonNode mergedIndex = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/team/merged-archive:1.0"))!;
        List<string> children = index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()).ToList();
        Assert.Equal(children, mergedIndex["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Equal(
            ["1.0", "1.0-linux-amd64", "1.0-linux-arm64-v8", "latest", "latest-linux-amd64", "latest-linux-arm64-v8"],
            await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/team/merged-archive"));

        // Into a second archive: the platform tags become ref.name entries skopeo can address.
        string second = Path.Combine(sandbox.Folder, "out", "second.tar");
        ProcessResult rewritten = await sandbox.DotnetAsync(["msbuild", sandbox.ProjectPath, "-nologo", "-t:MergeMultiArch",
            $"-p:ContainerMergeSources={archive}:latest", $"-p:ContainerArchiveOutputPath={second}", "-p:ContainerPlatformTags=true"]);
        output.WriteLine(rewritten.Combined);
        Assert.True(rewritten.ExitCode == 0, rewritten.Combined);
        ProcessResult child = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{second}:latest-linux-arm64-v8"]);
        Assert.True(child.ExitCode == 0, child.Combined);
        Assert.Equal(children[1], "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(child.StandardOutput.TrimEnd('\n')))));
    }
}
