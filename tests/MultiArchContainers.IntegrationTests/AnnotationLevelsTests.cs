namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public class AnnotationLevelsTests(PublishFixture fixture, ITestOutputHelper output)
{
    private Sandbox Publishing(string repository, string items, string properties = "") =>
        fixture.SandboxWith(fixture.Publishing(repository) + properties, items);

    private static Dictionary<string, string> AnnotationsOf(JsonNode? node) =>
        node?["annotations"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task EveryLevelGetsExactlyItsAnnotationsAndCleanPublishesAreReproducible()
    {
        string repository = "team/levels";
        using var sandbox = Publishing(
            repository,
            """
            <ContainerIndexAnnotation Include="com.example.index" Value="i: 1" />
            <ContainerManifestAnnotation Include="com.example.all" Value="every image" />
            <ContainerManifestAnnotation Include="com.example.arm" Value="arm only" Platform="linux/arm64" />
            <ContainerDescriptorAnnotation Include="com.example.entry" Value="x64 entry" RuntimeIdentifier="linux-x64" />
            """,
            "<ContainerGenerateAnnotations>true</ContainerGenerateAnnotations><Version>3.1.4</Version>");
        string reference = $"{fixture.Registry.Address}/{repository}";
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        string cli = "-p:ContainerAnnotations=\"index:com.example.cli=a\\;b;manifest[linux-x64]:com.example.cli.x64=x\"";

        ProcessResult first = await sandbox.PublishAsync(cli);
        output.WriteLine(first.Combined);
        Assert.True(first.ExitCode == 0, first.Combined);

        string raw = await Skopeo.InspectRawAsync($"{reference}:1.0");
        JsonNode index = JsonNode.Parse(raw)!;
        const string Created = "2023-11-14T22:13:20Z";
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["com.example.index"] = "i: 1",
                ["com.example.cli"] = "a;b",
                ["org.opencontainers.image.created"] = Created,
                ["org.opencontainers.image.version"] = "3.1.4",
                ["org.opencontainers.image.authors"] = "app",
            },
            AnnotationsOf(index));

        JsonNode x64 = index["manifests"]![0]!;
        JsonNode arm64 = index["manifests"]![1]!;
        Assert.Equal(new Dictionary<string, string> { ["com.example.entry"] = "x64 entry" }, AnnotationsOf(x64));
        Assert.Empty(AnnotationsOf(arm64));

        var manifestAnnotations = new List<Dictionary<string, string>>();
        foreach (JsonNode entry in new[] { x64, arm64 })
        {
            string child = await Skopeo.InspectRawAsync($"{reference}@{entry["digest"]!.GetValue<string>()}");
            Assert.Equal(entry["digest"]!.GetValue<string>(), Sha256(child));
            Assert.Equal(entry["size"]!.GetValue<long>(), Encoding.UTF8.GetByteCount(child));
            manifestAnnotations.Add(AnnotationsOf(JsonNode.Parse(child)));
        }

        Assert.Equal("every image", manifestAnnotations[0]["com.example.all"]);
        Assert.Equal("every image", manifestAnnotations[1]["com.example.all"]);
        Assert.Equal("arm only", manifestAnnotations[1]["com.example.arm"]);
        Assert.False(manifestAnnotations[0].ContainsKey("com.example.arm"));
        Assert.Equal("x", manifestAnnotations[0]["com.example.cli.x64"]);
        Assert.False(manifestAnnotations[1].ContainsKey("com.example.cli.x64"));
        Assert.All(manifestAnnotations, m =>
        {
            Assert.Equal(Created, m["org.opencontainers.image.created"]);
            Assert.Equal("3.1.4", m["org.opencontainers.image.version"]);
            Assert.Equal(fixture.BaseImage, m["org.opencontainers.image.base.name"]);
            Assert.StartsWith("sha256:", m["org.opencontainers.image.base.digest"], StringComparison.Ordinal);
            Assert.False(m.ContainsKey("com.example.index"));
            Assert.False(m.ContainsKey("com.example.entry"));
        });

        Directory.Delete(Path.Combine(sandbox.Folder, "bin"), recursive: true);
        Directory.Delete(Path.Combine(sandbox.Folder, "obj"), recursive: true);
        ProcessResult second = await sandbox.PublishAsync(cli);
        Assert.True(second.ExitCode == 0, second.Combined);

        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{reference}:1.0"));
        Assert.Contains(Sha256(raw), second.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// The .NET SDK's shape: ContainerAnnotation items with a Scope land where the scope says, exactly as the item
    /// types of this SDK put them (compared in the same publish), and the generated values stay on both levels.
    /// </summary>
    [Fact]
    public async Task ContainerAnnotationItemsLandWhereTheirScopeSays()
    {
        string repository = "team/scoped";
        using var sandbox = Publishing(
            repository,
            """
            <ContainerAnnotation Include="com.example.pipeline" Value="run: 7; id=a&amp;b" Scope="Index" />
            <ContainerAnnotation Include="com.example.source" Value="https://example.com/team/app" Scope="Manifest,Index" />
            <ContainerAnnotation Include="com.example.unscoped" Value="index by default" />
            <ContainerAnnotation Include="com.example.arm" Value="arm" Scope=" manifest ; manifestdescriptor " Platform="linux/arm64" />
            <ContainerIndexAnnotation Include="com.example.mine" Value="same" />
            <ContainerManifestAnnotation Include="com.example.mine" Value="same" />
            """,
            "<Version>2.0.0</Version>");
        string reference = $"{fixture.Registry.Address}/{repository}";
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        ProcessResult result = await sandbox.PublishAsync();
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:1.0"))!;
        Dictionary<string, string> onIndex = AnnotationsOf(index);
        Assert.Equal("run: 7; id=a&b", onIndex["com.example.pipeline"]);
        Assert.Equal("https://example.com/team/app", onIndex["com.example.source"]);
        Assert.Equal("index by default", onIndex["com.example.unscoped"]);
        Assert.Equal("same", onIndex["com.example.mine"]);
        Assert.Equal("2.0.0", onIndex["org.opencontainers.image.version"]);
        Assert.False(onIndex.ContainsKey("com.example.arm"));

        JsonNode x64 = index["manifests"]![0]!;
        JsonNode arm64 = index["manifests"]![1]!;
        Assert.Empty(AnnotationsOf(x64));
        Assert.Equal(new Dictionary<string, string> { ["com.example.arm"] = "arm" }, AnnotationsOf(arm64));
        foreach ((JsonNode entry, bool arm) in new[] { (x64, false), (arm64, true) })
        {
            Dictionary<string, string> manifest = AnnotationsOf(JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}@{entry["digest"]!.GetValue<string>()}")));
            Assert.Equal("https://example.com/team/app", manifest["com.example.source"]);
            Assert.Equal("same", manifest["com.example.mine"]);
            Assert.Equal("2.0.0", manifest["org.opencontainers.image.version"]);
            Assert.Equal(arm, manifest.ContainsKey("com.example.arm"));
            Assert.False(manifest.ContainsKey("com.example.pipeline"));
            Assert.False(manifest.ContainsKey("com.example.unscoped"));
        }
    }

    [Fact]
    public async Task InvalidAnnotationInputsAreReportedTogetherBeforeAnyBuild()
    {
        string repository = "team/bad-levels";
        using var sandbox = Publishing(
            repository,
            """
            <ContainerIndexAnnotation Include="org.opencontainers.image.created" Value="last tuesday" />
            <ContainerManifestAnnotation Include="com.example.s390x" Value="v" Platform="linux/s390x" />
            <ContainerDescriptorAnnotation Include="com.example.nope" Value="v" Platform="arm64" />
            <ContainerIndexAnnotation Include="colour" Value="warn only" />
            <ContainerAnnotation Include="com.example.layer" Value="v" Scope="Manifest,Layer" />
            """);

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerAnnotations=\"index-descriptor:com.example.d=1;manifests:com.example.m=1\"");
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        foreach (string code in new[] { "error MAC2011", "error MAC2012", "error MAC2016", "error MAC2013", "error MAC2015", "error MAC2027", "warning MAC2101" })
        {
            Assert.Contains(code, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("'last tuesday'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ContainerAnnotation item 'com.example.layer' has Scope 'Manifest,Layer', and 'Layer' is not a scope", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("linux-x64 (linux/amd64), linux-arm64 (linux/arm64/v8)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(repository, await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address));
    }

    [Fact]
    public async Task DockerFormatWithAnnotationsIsMac2014()
    {
        using var sandbox = Publishing(
            "team/docker-format",
            """<ContainerIndexAnnotation Include="com.example.a" Value="1" />""",
            "<ContainerImageFormat>Docker</ContainerImageFormat>");

        ProcessResult result = await sandbox.PublishAsync();
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC2014", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAGitRepositoryTwoCleanPublishesGiveOneDigestWithoutSourceDateEpoch()
    {
        string repository = "team/from-git";
        using var sandbox = Publishing(
            repository,
            """<ContainerIndexAnnotation Include="com.example.index" Value="from git" />""",
            "<ContainerGenerateAnnotations>true</ContainerGenerateAnnotations>");
        var commitTime = new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = "2024-02-03T04:05:06Z", ["GIT_COMMITTER_DATE"] = "2024-02-03T04:05:06Z" };
        foreach (string[] git in new[]
        {
            new[] { "init", "-q" },
            new[] { "add", "-A" },
            new[] { "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "app" },
        })
        {
            ProcessResult step = await ProcessRunner.RunAsync("git", git, sandbox.Folder, commitTime);
            Assert.True(step.ExitCode == 0, step.Combined);
        }

        string commit = (await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"], sandbox.Folder)).StandardOutput.Trim();
        var raws = new List<string>();
        for (int run = 0; run < 2; run++)
        {
            foreach (string folder in new[] { "bin", "obj" }.Select(f => Path.Combine(sandbox.Folder, f)).Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }

            ProcessResult result = await sandbox.PublishAsync();
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
            raws.Add(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0"));
        }

        Assert.Equal(raws[0], raws[1]);
        Dictionary<string, string> annotations = AnnotationsOf(JsonNode.Parse(raws[0]));
        Assert.Equal("2024-02-03T04:05:06Z", annotations["org.opencontainers.image.created"]);
        Assert.Equal(commit, annotations["org.opencontainers.image.revision"]);
        Assert.Equal("from git", annotations["com.example.index"]);
        JsonNode config = await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "arm64", "v8");
        Assert.Equal("2024-02-03T04:05:06Z", config["created"]!.GetValue<string>());
    }
}
