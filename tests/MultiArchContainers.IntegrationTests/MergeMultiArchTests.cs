namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public class MergeMultiArchTests(PublishFixture fixture, ITestOutputHelper output)
{
    private Sandbox NewSandbox(string items = "") =>
        new(fixture, fixture.Project($"<ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>", items));

    private async Task<ProcessResult> RunAsync(Sandbox sandbox, params string[] arguments)
    {
        ProcessResult result = await sandbox.DotnetAsync(["msbuild", sandbox.ProjectPath, "-nologo", "-restore", .. arguments]);
        output.WriteLine(result.Combined);
        return result;
    }

    private async Task<string> PublishPlatformAsync(Sandbox sandbox, string rid, string repository, string note)
    {
        string file = Path.Combine(sandbox.Folder, $"{repository.Replace('/', '-')}-{rid}-{note}.json");
        ProcessResult result = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-t:PublishPlatformImage", "-nologo",
            $"-p:ContainerRuntimeIdentifier={rid}", $"-p:ContainerRepository={repository}", $"-p:ContainerMetadataFile={file}",
            $"-p:ContainerAnnotations=manifest:com.example.note={note}"]);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        return file;
    }

    private static Dictionary<string, string> AnnotationsOf(JsonNode node) =>
        node["annotations"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];

    [Fact]
    public async Task MergesFanOutImagesFromTwoRepositoriesThenAppendsDryRunsAndCrossesRegistries()
    {
        string registry = fixture.Registry.Address;
        using Sandbox sandbox = NewSandbox();

        // One time for every merge, as a git repository gives: the archive below must hold the same index bytes.
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        string arm = await PublishPlatformAsync(sandbox, "linux-arm64", "matrix/arm", "first");
        string x64 = await PublishPlatformAsync(sandbox, "linux-x64", "matrix/x64", "first");
        const string Source = "https://example.com/team/app: ;=&'ü";
        string annotations = $"-p:ContainerAnnotations=\"index:org.opencontainers.image.source={Source.Replace(";", "\\;")};index:com.example.merged=yes\"";

        // Fan-in into a third repository, with index annotations.
        ProcessResult merged = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources=\"{x64};{arm}\"",
            "-p:ContainerRepository=matrix/app", "-p:ContainerImageTags=\"1.0;latest\"", annotations);
        Assert.True(merged.ExitCode == 0, merged.Combined);

        string raw = await Skopeo.InspectRawAsync($"{registry}/matrix/app:1.0");
        JsonNode index = JsonNode.Parse(raw)!;
        DeclaredAnnotations.AssertCarried(new Dictionary<string, string> { ["org.opencontainers.image.source"] = Source, ["com.example.merged"] = "yes" }, AnnotationsOf(index));
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        foreach (JsonNode? child in index["manifests"]!.AsArray())
        {
            string manifest = await Skopeo.InspectRawAsync($"{registry}/matrix/app@{child!["digest"]!.GetValue<string>()}");
            Assert.Equal(child["size"]!.GetValue<long>(), Encoding.UTF8.GetByteCount(manifest));
            Assert.Equal("first", AnnotationsOf(JsonNode.Parse(manifest)!)["com.example.note"]);
        }

        Assert.Equal(["1.0", "latest"], await Skopeo.ListTagsAsync($"{registry}/matrix/app"));
        string amd64Digest = index["manifests"]![0]!["digest"]!.GetValue<string>();

        // Two sources for one platform without append: an error naming both, nothing moves.
        string armAgain = await PublishPlatformAsync(sandbox, "linux-arm64", "matrix/arm", "second");
        ProcessResult duplicate = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources=\"{arm};{armAgain}\"",
            "-p:ContainerRepository=matrix/app", "-p:ContainerImageTags=1.0");
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("error MAC2020", duplicate.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(arm, duplicate.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(armAgain, duplicate.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{registry}/matrix/app:1.0"));

        // A dry run prints the index and touches nothing.
        IReadOnlyList<string> catalogue = await RegistryCatalog.RepositoriesAsync(registry);
        ProcessResult dry = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources=\"{x64};{arm}\"",
            "-p:ContainerRepository=matrix/dry", "-p:ContainerDryRun=true", annotations);
        Assert.True(dry.ExitCode == 0, dry.Combined);
        Assert.Contains("\"com.example.merged\":\"yes\"", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(catalogue, await RegistryCatalog.RepositoriesAsync(registry));

        // Append replaces arm64 and keeps amd64.
        ProcessResult appended = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources={armAgain}",
            "-p:ContainerRepository=matrix/app", "-p:ContainerImageTags=1.0", "-p:ContainerMergeAppend=true", annotations);
        Assert.True(appended.ExitCode == 0, appended.Combined);
        JsonNode after = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/matrix/app:1.0"))!;
        Assert.Equal(2, after["manifests"]!.AsArray().Count);
        Assert.Equal(amd64Digest, after["manifests"]![0]!["digest"]!.GetValue<string>());
        JsonNode newArm = after["manifests"]![1]!;
        Assert.Equal("arm64", newArm["platform"]!["architecture"]!.GetValue<string>());
        Assert.Equal("second", AnnotationsOf(JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/matrix/app@{newArm["digest"]!.GetValue<string>()}"))!)["com.example.note"]);

        // Into an OCI archive: every child and the index, readable by skopeo, nothing pushed.
        string archive = Path.Combine(sandbox.Folder, "merged.tar");
        IReadOnlyList<string> catalogueBefore = await RegistryCatalog.RepositoriesAsync(registry);
        ProcessResult archived = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources=\"{x64};{arm}\"",
            "-p:ContainerRepository=matrix/archived", "-p:ContainerImageTags=2.0", $"-p:ContainerArchiveOutputPath={archive}", annotations);
        Assert.True(archived.ExitCode == 0, archived.Combined);
        Assert.Equal(catalogueBefore, await RegistryCatalog.RepositoriesAsync(registry));
        ProcessResult fromArchive = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}:2.0"]);
        Assert.True(fromArchive.ExitCode == 0, fromArchive.Combined);
        Assert.Equal(raw, fromArchive.StandardOutput.TrimEnd('\n'));
        ProcessResult archivedConfig = await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", "--override-arch", "arm64", "--override-variant", "v8", $"oci-archive:{archive}:2.0"]);
        Assert.True(archivedConfig.ExitCode == 0, archivedConfig.Combined);

        // Into another registry (with basic auth): content is streamed across and every child resolves there.
        string other = fixture.AuthRegistry.Address;
        string dockerConfig = Path.Combine(sandbox.Folder, ".docker");
        Directory.CreateDirectory(dockerConfig);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestCredentials.Pair));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), new JsonObject { ["auths"] = new JsonObject { [other] = new JsonObject { ["auth"] = auth } } }.ToJsonString());
        ProcessResult crossed = await RunAsync(sandbox, "-t:MergeMultiArch", $"-p:ContainerMergeSources={registry}/matrix/app:1.0",
            $"-p:ContainerRegistry={other}", "-p:ContainerRepository=mirror/app", "-p:ContainerImageTags=1.0");
        Assert.True(crossed.ExitCode == 0, crossed.Combined);
        JsonNode mirrored = JsonNode.Parse(await Skopeo.InspectRawAsync($"{other}/mirror/app:1.0", TestCredentials.Pair))!;
        foreach (JsonNode? child in mirrored["manifests"]!.AsArray())
        {
            JsonNode config = JsonNode.Parse(await Skopeo.InspectRawAsync($"{other}/mirror/app@{child!["digest"]!.GetValue<string>()}", TestCredentials.Pair))!;
            Assert.NotNull(config["layers"]);
        }

        JsonNode mirroredConfig = await Skopeo.InspectConfigAsync($"{other}/mirror/app:1.0", "arm64", "v8", TestCredentials.Pair);
        Assert.Equal("arm64", mirroredConfig["architecture"]!.GetValue<string>());
    }
}
