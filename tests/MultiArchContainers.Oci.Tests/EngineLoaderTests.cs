using MultiArchContainers.Oci.Push.Engine;

namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// What the local-engine load hands Docker, and how the engine is found. No Docker daemon runs on this machine, so the
/// docker CLI is stood in for by <see cref="RecordingCli"/>, which answers 'docker info' as a daemon with the containerd
/// or the classic image store would and keeps the archive 'docker load' gets; skopeo then reads that archive. (Podman,
/// which runs here, is tested for real through dotnet publish in the integration tests.)
/// </summary>
public sealed class EngineLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-engine-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class RecordingCli(Func<string, IReadOnlyList<string>, EngineResult?> answer, string keep) : EngineCli
    {
        public List<string> Commands { get; } = [];

        public override Task<EngineResult?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        {
            Commands.Add($"{program} {string.Join(' ', arguments)}");
            if (arguments is ["load", .., "--input", string path])
            {
                File.Copy(path, keep, overwrite: true);
            }

            return Task.FromResult(answer(program, arguments));
        }
    }

    /// <summary>An index archive of a publish: linux/amd64 and linux/arm64/v8, tagged 1.0 and latest.</summary>
    private string IndexArchive()
    {
        var writer = new OciArchiveWriter();
        var images = new[] { TestImage.Create(new Platform { Os = "linux", Architecture = "amd64" }), TestImage.Create(new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" }) };
        foreach (TestImage image in images)
        {
            writer.AddBytes(image.Layer);
            writer.AddBytes(image.Config);
            writer.AddBytes(image.Manifest);
        }

        byte[] index = OciJson.Serialize(new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [.. images.Select(i => i.ManifestDescriptor)],
            Annotations = new Dictionary<string, string> { ["com.example.index"] = "i" },
        });
        writer.AddBytes(index);
        string path = Path.Combine(_folder, "index.tar");
        writer.Write(path, Descriptor.For(MediaTypes.OciIndex, index), ["1.0", "latest"], new Dictionary<string, string>());
        return path;
    }

    private static JsonNode LayoutIndex(string archive)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "index.json")
            {
                return JsonNode.Parse(entry.DataStream!)!;
            }
        }

        throw new InvalidOperationException("no index.json");
    }

    private static async Task<string> SkopeoAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput;
    }

    private static EngineResult Ok(string output = "") => new(0, output, string.Empty);

    [Fact]
    public async Task DockerWithTheContainerdStoreGetsTheWholeIndexUnderEveryName()
    {
        string kept = Path.Combine(_folder, "loaded.tar");
        var cli = new RecordingCli((_, _) => Ok(), kept);
        var diagnostics = new List<Diagnostic>();
        var loader = new EngineLoader(new LocalEngine(EngineKind.Docker, "27.3.1", HoldsIndexes: true), cli, diagnostics.Add, _ => { });

        IReadOnlyList<string> names = await loader.LoadAsync(IndexArchive(), "team/app", ["1.0", "latest"], Path.Combine(_folder, "work"), CancellationToken.None);

        Assert.Equal(["team/app:1.0", "team/app:latest"], names);
        Assert.Equal(["docker load --quiet --input"], cli.Commands.Select(c => string.Join(' ', c.Split(' ').Take(4))));
        Assert.Empty(diagnostics);
        JsonNode[] entries = LayoutIndex(kept)["manifests"]!.AsArray().Select(e => e!).ToArray();
        Assert.Equal(["docker.io/team/app:1.0", "docker.io/team/app:latest"], entries.Select(e => e["annotations"]!["io.containerd.image.name"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal(MediaTypes.OciIndex, e["mediaType"]!.GetValue<string>()));

        // skopeo reads the archive Docker gets as the index, both platforms and the index annotation included.
        JsonNode index = JsonNode.Parse(await SkopeoAsync("inspect", "--raw", $"oci-archive:{kept}:latest"))!;
        Assert.Equal(2, index["manifests"]!.AsArray().Count);
        Assert.Equal("i", index["annotations"]!["com.example.index"]!.GetValue<string>());
    }

    [Fact]
    public async Task DockersClassicStoreGetsTheHostPlatformAndAWarningNamesTheRest()
    {
        string kept = Path.Combine(_folder, "loaded.tar");
        var cli = new RecordingCli((_, _) => Ok(), kept);
        var diagnostics = new List<Diagnostic>();
        var loader = new EngineLoader(new LocalEngine(EngineKind.Docker, "24.0.7", HoldsIndexes: false), cli, diagnostics.Add, _ => { });

        await loader.LoadAsync(IndexArchive(), "app", ["1.0"], Path.Combine(_folder, "work"), CancellationToken.None);

        string host = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";
        JsonNode entry = Assert.Single(LayoutIndex(kept)["manifests"]!.AsArray())!;
        Assert.Equal(MediaTypes.OciManifest, entry["mediaType"]!.GetValue<string>());
        Assert.Equal("docker.io/library/app:1.0", entry["annotations"]!["io.containerd.image.name"]!.GetValue<string>());
        JsonNode config = JsonNode.Parse(await SkopeoAsync("inspect", "--config", $"oci-archive:{kept}:1.0"))!;
        Assert.Equal(host, config["architecture"]!.GetValue<string>());
        Diagnostic warning = Assert.Single(diagnostics);
        Assert.Equal(("MAC2105", DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Contains(host == "amd64" ? "not loaded: linux/arm64/v8" : "not loaded: linux/amd64", warning.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "info-fails", "Podman")]
    [InlineData("", "containerd", "Docker")]
    [InlineData("podman", "containerd", "Podman")]
    [InlineData("DOCKER", "classic", "Docker")]
    public async Task TheEngineIsTheNamedOneElseDockerWhenItAnswersElsePodman(string localRegistry, string docker, string expected)
    {
        var cli = new RecordingCli((program, _) => program == "podman" ? Ok("4.3.1\n") : docker switch
        {
            "info-fails" => new EngineResult(1, string.Empty, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock."),
            "containerd" => Ok("27.3.1|[[\"driver-type\",\"io.containerd.snapshotter.v1\"]]\n"),
            _ => Ok("24.0.7|[[\"Backing Filesystem\",\"extfs\"]]\n"),
        }, Path.Combine(_folder, "unused.tar"));

        LocalEngine engine = await LocalEngine.FindAsync(localRegistry, cli, CancellationToken.None);

        Assert.Equal(expected, engine.Kind.ToString());
        Assert.Equal(expected == "Podman" || docker == "containerd", engine.HoldsIndexes);
    }

    [Fact]
    public async Task NoEngineAndAWrongLocalRegistryAreCodedErrors()
    {
        var none = new RecordingCli((_, _) => null, Path.Combine(_folder, "unused.tar"));

        var missing = await Assert.ThrowsAsync<MultiArchException>(() => LocalEngine.FindAsync("", none, CancellationToken.None));
        var wrong = await Assert.ThrowsAsync<MultiArchException>(() => LocalEngine.FindAsync("nerdctl", none, CancellationToken.None));

        Assert.Equal("MAC2028", missing.Diagnostic.Code);
        Assert.Contains("'docker' is not on PATH; 'podman' is not on PATH", missing.Message, StringComparison.Ordinal);
        Assert.Equal("MAC2029", wrong.Diagnostic.Code);
        Assert.Contains("'nerdctl'", wrong.Message, StringComparison.Ordinal);
    }
}
