using System.Security;

namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public partial class PublishMultiArchTests(PublishFixture fixture, ITestOutputHelper output)
{
    private const string SourceValue = "https://example.com/team/app: a;b=c & d'e ünïcödé 日本";
    private const string NoteValue = "x=1; y: 'two' & \"three\" — ü";
    private const string LabelValue = "https://docs.example.com:8443/app?x=1;y=2";

    private static string Xml(string value) => SecurityElement.Escape(value);

    private static string DockerConfig(string registry, string auth) =>
        new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } }.ToJsonString();

    private string Project(string repository, string registry, string extraProperties = "", string items = "", string sdkVersion = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="MultiArchContainers.Sdk" {(sdkVersion.Length > 0 ? $"Version=\"{sdkVersion}\"" : string.Empty)} />
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ContainerRegistry>{registry}</ContainerRegistry>
            <ContainerRepository>{repository}</ContainerRepository>
            <ContainerBaseImage>{fixture.BaseImage}</ContainerBaseImage>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """;

    private void AssertSucceeded(ProcessResult result) => result.Succeeded(output);

    private ProcessResult AssertFailed(ProcessResult result) => result.Failed(output);

    [Fact]
    public async Task PublishesOneAnnotatedIndexUnderEveryTag()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/annotated";
        string metadata = Path.Combine(Path.GetTempPath(), $"mac-metadata-{Guid.NewGuid():N}.json");
        using var sandbox = new Sandbox(fixture, Project(
            repository,
            registry,
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerImageTags>1.2.3;latest</ContainerImageTags>
            <ContainerMetadataFile>{metadata}</ContainerMetadataFile>
            """,
            $"""
            <ContainerIndexAnnotation Include="org.opencontainers.image.source" Value="{Xml(SourceValue)}" />
            <ContainerIndexAnnotation Include="com.example.note" Value="{Xml(NoteValue)}" />
            <ContainerLabel Include="com.example.docs" Value="{Xml(LabelValue)}" />
            """,
            fixture.PackageVersion));

        ProcessResult result = await sandbox.PublishAsync();

        AssertSucceeded(result);
        string raw = await Skopeo.InspectRawAsync($"{registry}/{repository}:1.2.3");
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", index["mediaType"]!.GetValue<string>());

        // Generated annotations are on by default: the declared ones byte for byte, besides them only generated keys.
        var annotations = index["annotations"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        DeclaredAnnotations.AssertCarried(
            new Dictionary<string, string> { ["org.opencontainers.image.source"] = SourceValue, ["com.example.note"] = NoteValue },
            annotations);
        Assert.Equal("1.0.0", annotations["org.opencontainers.image.version"]);
        Assert.True(Oci.Model.Timestamps.IsRfc3339(annotations["org.opencontainers.image.created"]));

        JsonArray manifests = index["manifests"]!.AsArray();
        Assert.Equal(
            ["linux/amd64", "linux/arm64/v8"],
            manifests.Select(m => string.Join('/', new[] { m!["platform"]!["os"], m["platform"]!["architecture"], m["platform"]!["variant"] }.Where(p => p is not null).Select(p => p!.GetValue<string>()))));
        foreach (JsonNode? manifest in manifests)
        {
            Assert.Null(manifest!["annotations"]);
            string child = await Skopeo.InspectRawAsync($"{registry}/{repository}@{manifest["digest"]!.GetValue<string>()}");
            Assert.Equal(manifest["size"]!.GetValue<long>(), Encoding.UTF8.GetByteCount(child));
        }

        foreach ((string arch, string? variant) in new[] { ("amd64", (string?)null), ("arm64", "v8") })
        {
            JsonNode config = await Skopeo.InspectConfigAsync($"{registry}/{repository}:1.2.3", arch, variant);
            Assert.Equal(arch, config["architecture"]!.GetValue<string>());
            Assert.Equal(LabelValue, config["config"]!["Labels"]!["com.example.docs"]!.GetValue<string>());
            Assert.Equal(fixture.BaseImage, config["config"]!["Labels"]!["org.opencontainers.image.base.name"]!.GetValue<string>());
        }

        Assert.Equal(["1.2.3", "latest"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{registry}/{repository}:latest"));

        string indexDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
        Assert.Contains(indexDigest, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1.2.3, latest", result.StandardOutput, StringComparison.Ordinal);

        using JsonDocument written = JsonDocument.Parse(await File.ReadAllTextAsync(metadata));
        File.Delete(metadata);
        JsonElement root = written.RootElement;
        Assert.Equal(indexDigest, root.GetProperty("containerimage.digest").GetString());
        Assert.Equal(indexDigest, root.GetProperty("containerimage.descriptor").GetProperty("digest").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(raw), root.GetProperty("containerimage.descriptor").GetProperty("size").GetInt64());
        Assert.Equal($"{registry}/{repository}:1.2.3,{registry}/{repository}:latest", root.GetProperty("image.name").GetString());
        Assert.Equal(
            manifests.Select(m => m!["digest"]!.GetValue<string>()),
            root.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("digest").GetString()));
        Assert.Equal(["linux-x64", "linux-arm64"], root.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("rid").GetString()));
    }

    [Fact]
    public async Task SelfContainedProjectsGetTheRuntimeOfEachPlatform()
    {
        string registry = fixture.Registry.Address;
        string repository = "team/self-contained";
        using var sandbox = new Sandbox(fixture, Project(repository, registry, """
            <SelfContained>true</SelfContained>
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerImageTags>1.0</ContainerImageTags>
            <ContainerSbom>true</ContainerSbom>
            """, sdkVersion: fixture.PackageVersion));

        AssertSucceeded(await sandbox.PublishAsync());

        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}"));
        string layout = Path.Combine(sandbox.Folder, "copied");
        await Skopeo.CopyToLayoutAsync($"{registry}/{repository}:1.0", layout, "1.0");
        JsonNode index = ReadBlob(layout, JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]![0]!["digest"]!.GetValue<string>());
        var machines = new Dictionary<string, ushort>();
        var runtimePacks = new List<string>();
        foreach (JsonNode? child in index["manifests"]!.AsArray())
        {
            if (child!["platform"]!["os"]!.GetValue<string>() == "unknown")
            {
                // The SBOM of a self-contained image names its runtime pack and the runtime's files.
                JsonNode sbom = ReadBlob(layout, ReadBlob(layout, child["digest"]!.GetValue<string>())["layers"]![0]!["digest"]!.GetValue<string>())["predicate"]!;
                runtimePacks.Add(sbom["packages"]!.AsArray().Single(p => p!["primaryPackagePurpose"]!.GetValue<string>() == "FRAMEWORK")!["name"]!.GetValue<string>());
                Assert.Contains(sbom["files"]!.AsArray(), f => f!["fileName"]!.GetValue<string>() == "/app/libcoreclr.so");
                continue;
            }

            string architecture = child!["platform"]!["architecture"]!.GetValue<string>();
            JsonNode manifest = ReadBlob(layout, child["digest"]!.GetValue<string>());
            machines[architecture] = manifest["layers"]!.AsArray()
                .Select(layer => ElfMachineOf(layout, layer!["digest"]!.GetValue<string>(), "/libcoreclr.so"))
                .Single(machine => machine is not null)!.Value;
        }

        // ELF e_machine: 62 is x86-64, 183 is AArch64. Each image carries the runtime built for its own platform.
        Assert.Equal(new Dictionary<string, ushort> { ["amd64"] = 62, ["arm64"] = 183 }, machines);
        Assert.Equal(["Microsoft.NETCore.App.Runtime.linux-arm64", "Microsoft.NETCore.App.Runtime.linux-x64"], runtimePacks.Order());
    }

    private static JsonNode ReadBlob(string layout, string digest) =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..])))!;

    /// <summary>The ELF machine of the first file in a gzip layer whose name ends with <paramref name="suffix"/>; null when there is none.</summary>
    private static ushort? ElfMachineOf(string layout, string digest, string suffix)
    {
        using FileStream file = File.OpenRead(Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]));
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new System.Formats.Tar.TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !("/" + entry.Name).EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var header = new byte[20];
            entry.DataStream.ReadExactly(header);
            Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18));
        }

        return null;
    }

    [Fact]
    public async Task InvalidAnnotationsFailBeforeAnythingIsBuiltOrPushed()
    {
        string repository = "team/bad-annotations";
        using var sandbox = new Sandbox(fixture, Project(
            repository,
            fixture.Registry.Address,
            "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>",
            """
            <ContainerIndexAnnotation Include="com.example bad key" Value="v" />
            <ContainerIndexAnnotation Include="com.example.novalue" />
            """,
            fixture.PackageVersion));

        ProcessResult result = AssertFailed(await sandbox.PublishAsync());

        Assert.Contains("error MAC2002", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("'com.example bad key'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("error MAC2003", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("'com.example.novalue'", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
        // Nothing was built: no image archive and no kept image (the publish lock and the input state may be there).
        string multiarch = Path.Combine(sandbox.Folder, "obj", "multiarch");
        Assert.Empty(Directory.Exists(multiarch) ? Directory.GetFiles(multiarch, "*.tar", SearchOption.AllDirectories) : []);
        Assert.False(Directory.Exists(Path.Combine(multiarch, "Release", "cache")) || Directory.Exists(Path.Combine(multiarch, "Debug", "cache")));
        Assert.DoesNotContain(repository, await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address));
    }

    [Fact]
    public async Task RidsWithoutABasePlatformFailNamingWhatTheBaseOffers()
    {
        string repository = "team/bad-rids";
        string baseImage = $"{fixture.Registry.Address}/{PublishFixture.Amd64OnlyRepository}:{PublishFixture.BaseTag}";
        using var sandbox = new Sandbox(fixture, Project(
            repository,
            fixture.Registry.Address,
            "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64;osx-arm64</ContainerRuntimeIdentifiers>",
            sdkVersion: fixture.PackageVersion));

        ProcessResult result = AssertFailed(await sandbox.PublishAsync($"-p:ContainerBaseImage={baseImage}"));

        Assert.Contains("error MAC2006: The runtime identifier 'osx-arm64'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"error MAC2007: The runtime identifier 'linux-arm64' needs platform linux/arm64/v8, but the base image '{baseImage}' offers only linux/amd64.", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("MAC2007: The runtime identifier 'linux-x64'", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(repository, await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address));
    }

    [Fact]
    public async Task UnreachableRegistryIsMac1001BeforeAnyBuild()
    {
        string unreachable = $"127.0.0.1:{RegistryProcess.FreePort()}";
        using var sandbox = new Sandbox(fixture, Project(
            "team/unreachable",
            unreachable,
            "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>",
            sdkVersion: fixture.PackageVersion));

        ProcessResult result = AssertFailed(await sandbox.PublishAsync());

        Assert.Contains($"error MAC1001: The registry '{unreachable}' could not be reached", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryWithAuthRefusesWithoutCredentialsAndAcceptsDockerConfig()
    {
        string registry = fixture.AuthRegistry.Address;
        string repository = "team/private";
        using var sandbox = new Sandbox(fixture, Project(
            repository,
            registry,
            "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers><ContainerImageTags>1.0</ContainerImageTags>",
            """<ContainerIndexAnnotation Include="com.example.private" Value="yes" />""",
            fixture.PackageVersion));
        string dockerConfig = Path.Combine(sandbox.Folder, ".docker");
        Directory.CreateDirectory(dockerConfig);
        string wrong = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestCredentials.User}:Wr0ng-secret"));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), DockerConfig(registry, wrong));

        ProcessResult refused = AssertFailed(await sandbox.PublishAsync());

        Assert.Contains($"error MAC1002: The registry '{registry}' refused", refused.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-secret", refused.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, refused.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", refused.StandardOutput, StringComparison.Ordinal);

        string right = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestCredentials.Pair));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), DockerConfig(registry, right));

        ProcessResult accepted = await sandbox.PublishAsync();

        AssertSucceeded(accepted);
        Assert.DoesNotContain(TestCredentials.Password, accepted.Combined, StringComparison.Ordinal);
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{registry}/{repository}", TestCredentials.Pair));
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:1.0", TestCredentials.Pair))!;
        Assert.Equal("yes", index["annotations"]!["com.example.private"]!.GetValue<string>());
    }
}
