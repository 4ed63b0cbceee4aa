namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// The <c>multiarch</c> command fed what a hostile registry, CI artifact or annotation can hold: text that would drive
/// a terminal or a CI log is shown escaped (exact output stays exact), an argument "@x" is a source and never the
/// words of a file, and the environment's pull credentials never go to a registry only a metadata file names.
/// </summary>
public class HostileInputTests(ToolFixture fixture, ITestOutputHelper output) : IClassFixture<ToolFixture>
{
    private const string Hostile = "a\u001b]0;PWNED\u0007\u001b[2Jb\n::error::fake";

    private string Registry => fixture.Registry.Address;

    private Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        fixture.RunAsync(output, environment, arguments);

    /// <summary>No control character reached the output, and no line of it is a CI workflow command.</summary>
    private static void AssertInert(string printed)
    {
        Assert.DoesNotContain(printed, c => c is '\u001b' or '\u0007' or '\u009b' or '\u202e');
        Assert.DoesNotContain(printed.Split('\n'), line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnnotationThatWouldDriveTheTerminalIsShownEscapedAndKeptExactInRawAndJson()
    {
        string target = $"{Registry}/hostile/ansi:1";
        ProcessResult merged = await RunAsync(null, "merge", "-t", target, "--annotation", $"index:org.example.x={Hostile}", fixture.Sources[0]);
        Assert.True(merged.ExitCode == 0, merged.Combined);

        ProcessResult table = await RunAsync(null, "inspect", target);
        Assert.Equal(0, table.ExitCode);
        AssertInert(table.Combined);
        Assert.Contains("org.example.x: a\\e]0;PWNED\\u0007\\e[2Jb\\n::error::fake", table.StandardOutput, StringComparison.Ordinal);

        ProcessResult json = await RunAsync(null, "inspect", "--format", "json", target);
        AssertInert(json.Combined);
        Assert.Equal(Hostile, JsonNode.Parse(json.StandardOutput)!["annotations"]!["org.example.x"]!.GetValue<string>());
        ProcessResult raw = await RunAsync(null, "inspect", "--raw", target);
        Assert.Equal(Hostile, JsonNode.Parse(raw.StandardOutput)!["annotations"]!["org.example.x"]!.GetValue<string>());
        // The process runner reads output by lines, so it ends with a newline of its own.
        Assert.Equal(await Skopeo.InspectRawAsync(target), raw.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task WhatAMetadataFileSaysIsEscapedInTheErrorsItCauses()
    {
        string folder = Directory.CreateTempSubdirectory("mac-hostile-meta-").FullName;
        try
        {
            string metadata = Path.Combine(folder, "metadata.json");
            File.WriteAllText(metadata, new JsonObject
            {
                ["containerimage.digest"] = "sha256:" + new string('a', 64),
                ["containerimage.descriptor"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = "sha256:" + new string('a', 64), ["size"] = 10, ["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" } },
                ["image.name"] = $"{Registry}/team/{Hostile}@sha256:{new string('a', 64)}",
                ["registry"] = Registry,
                ["repository"] = "team/" + Hostile,
                ["rid"] = "linux-x64",
            }.ToJsonString());

            ProcessResult result = await RunAsync(null, "merge", "-t", $"{Registry}/hostile/meta:1", metadata);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("error MAC", result.StandardError, StringComparison.Ordinal);
            AssertInert(result.Combined);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnArgumentStartingWithAtIsASourceNotTheWordsOfAFile()
    {
        // Among downloaded artifacts globbed with '*', a file '@x' and a file 'x' holding '--dry-run'.
        File.WriteAllText(Path.Combine(fixture.Root, "x"), "--dry-run\n");
        File.WriteAllText(Path.Combine(fixture.Root, "@x"), "not an archive\n");

        ProcessResult result = await RunAsync(null, "merge", "-t", $"{Registry}/hostile/at:1", "@x", fixture.Sources[0]);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("Dry run", result.Combined, StringComparison.Ordinal);
        Assert.Contains("'@x'", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{Registry}/hostile/at"));
    }

    [Fact]
    public async Task PullCredentialsFromTheEnvironmentGoOnlyToARegistryTheCommandLineNames()
    {
        const string User = "puller";
        const string Canary = "canary-pull-secret-31337";
        await using LimitingProxy other = LimitingProxy.Start(fixture.Registry);
        other.RequireBasicAuth(User, Canary);
        var environment = new Dictionary<string, string?> { ["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = User, ["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = Canary };
        string source = fixture.Sources[0];
        string tag = source[(source.LastIndexOf(':') + 1)..];

        // A metadata file, as a CI artifact would be, that names the other registry: no credential goes there.
        string folder = Directory.CreateTempSubdirectory("mac-hostile-creds-").FullName;
        try
        {
            JsonNode manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(source))!;
            string raw = await Skopeo.InspectRawAsync(source);
            var descriptor = new Descriptor
            {
                MediaType = manifest["mediaType"]!.GetValue<string>(),
                Digest = Digest.Sha256(Encoding.UTF8.GetBytes(raw)),
                Size = Encoding.UTF8.GetByteCount(raw),
                Platform = BaseImageSeeder.EightPlatforms[0],
            };
            string metadata = Path.Combine(folder, "metadata.json");
            MetadataFile.Write(metadata, MetadataDocument.ForImage(new PlatformImage("linux-x64", descriptor), other.Address, "fanout/app"));

            ProcessResult fromFile = await RunAsync(environment, "merge", "-t", $"{Registry}/hostile/creds:1", metadata);

            Assert.Equal(1, fromFile.ExitCode);
            Assert.Contains("error MAC1002", fromFile.StandardError, StringComparison.Ordinal);
            Assert.NotEmpty(other.Requests);
            Assert.All(other.Requests, r => Assert.Null(r.Authorization));
            Assert.DoesNotContain(Canary, fromFile.Combined, StringComparison.Ordinal);

            // Named on the command line, the same registry gets them (so the check above can fail).
            ProcessResult named = await RunAsync(environment, "merge", "-t", $"{Registry}/hostile/creds:1", $"{other.Address}/fanout/app:{tag}");
            Assert.True(named.ExitCode == 0, named.Combined);
            Assert.Contains(other.Requests, r => r.Authorization is not null && r.Status != 401);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
