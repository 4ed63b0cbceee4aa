namespace MultiArchContainers.IntegrationTests;

/// <summary>The <c>multiarch</c> command, installed from its package, against a real registry, read back with skopeo.</summary>
public class ToolTests(ToolFixture fixture, ITestOutputHelper output) : IClassFixture<ToolFixture>
{
    private const string Description = "Eight platforms: one index; ü & 'quotes' \\ \"all\" kept";

    private string Registry => fixture.Registry.Address;

    private static IEnumerable<string> EightPlatformNames => BaseImageSeeder.EightPlatforms.Select(p => p.ToString());

    private Task<ProcessResult> RunAsync(params string[] arguments) => fixture.RunAsync(output, null, arguments);

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task MergesEightImagesIntoOneAnnotatedIndexUnderEveryTag()
    {
        ProcessResult result = await RunAsync(["merge", "-t", $"{Registry}/tool/eight:1.0", "-t", $"{Registry}/tool/eight:latest",
            "--annotation", $"index:org.opencontainers.image.description={Description}",
            "--annotation", "manifest-descriptor[linux/arm64/v8]:com.example.note=arm", .. fixture.Sources]);
        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.DoesNotContain("error", result.StandardError, StringComparison.OrdinalIgnoreCase);

        string raw = await Skopeo.InspectRawAsync($"{Registry}/tool/eight:1.0");
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", index["mediaType"]!.GetValue<string>());
        Assert.Equal(Description, index["annotations"]!["org.opencontainers.image.description"]!.GetValue<string>());
        Assert.Single(index["annotations"]!.AsObject());
        JsonArray manifests = index["manifests"]!.AsArray();
        Assert.Equal(EightPlatformNames, manifests.Select(PlatformOf));
        Assert.Equal("arm", manifests.Single(m => PlatformOf(m) == "linux/arm64/v8")!["annotations"]!["com.example.note"]!.GetValue<string>());
        Assert.All(manifests.Where(m => PlatformOf(m) != "linux/arm64/v8"), m => Assert.Null(m!["annotations"]));

        // Standard output is the index digest alone; both tags name it, and no other tag was made.
        Assert.Equal(Sha256(raw), result.StandardOutput.Trim());
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{Registry}/tool/eight:latest"));
        Assert.Equal(["1.0", "latest"], await Skopeo.ListTagsAsync($"{Registry}/tool/eight"));
    }

    [Fact]
    public async Task InspectListsThePlatformsAsATableAsJsonAndRaw()
    {
        ProcessResult merged = await RunAsync(["merge", "-t", $"{Registry}/tool/inspected:1.0", "--annotation", "com.example.kind=inspected", .. fixture.Sources]);
        Assert.True(merged.ExitCode == 0, merged.Combined);
        string raw = await Skopeo.InspectRawAsync($"{Registry}/tool/inspected:1.0");

        ProcessResult table = await RunAsync("inspect", $"{Registry}/tool/inspected:1.0");
        Assert.True(table.ExitCode == 0, table.Combined);
        Assert.Contains($"Digest:     {Sha256(raw)}", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("com.example.kind: inspected", table.StandardOutput, StringComparison.Ordinal);
        foreach (string platform in EightPlatformNames)
        {
            Assert.Matches($@"(?m)^  {System.Text.RegularExpressions.Regex.Escape(platform)} +sha256:[0-9a-f]{{64}} +\d+$", table.StandardOutput);
        }

        ProcessResult json = await RunAsync("inspect", $"{Registry}/tool/inspected:1.0", "--format", "json");
        Assert.True(json.ExitCode == 0, json.Combined);
        JsonNode report = JsonNode.Parse(json.StandardOutput)!;
        Assert.Equal(Sha256(raw), report["digest"]!.GetValue<string>());
        Assert.Equal(EightPlatformNames, report["manifests"]!.AsArray().Select(m => m!["platform"]!.GetValue<string>()));
        Assert.Equal("inspected", report["annotations"]!["com.example.kind"]!.GetValue<string>());
        Assert.Empty(report["attestations"]!.AsArray());

        // --raw writes the stored bytes and nothing else; a file keeps them exactly (a line reader would not).
        string rawFile = Path.Combine(fixture.Root, "raw.json");
        ProcessResult rawOutput = await ProcessRunner.RunAsync("bash", ["-c", "\"$0\" inspect --raw \"$1\" > \"$2\"", fixture.Command, $"{Registry}/tool/inspected:1.0", rawFile]);
        Assert.True(rawOutput.ExitCode == 0, rawOutput.Combined);
        Assert.Equal(Encoding.UTF8.GetBytes(raw), File.ReadAllBytes(rawFile));

        // A single image: its platform comes from its config.
        ProcessResult image = await RunAsync("inspect", fixture.Sources[1], "--format", "json");
        Assert.True(image.ExitCode == 0, image.Combined);
        Assert.Equal("linux/arm64/v8", JsonNode.Parse(image.StandardOutput)!["platform"]!.GetValue<string>());

        // --tags lists the repository's tags, as skopeo reads them.
        ProcessResult tags = await RunAsync("inspect", "--tags", $"{Registry}/tool/inspected", "--format", "json");
        Assert.True(tags.ExitCode == 0, tags.Combined);
        Assert.Equal(await Skopeo.ListTagsAsync($"{Registry}/tool/inspected"), JsonNode.Parse(tags.StandardOutput)!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["1.0"], (await RunAsync("inspect", "--tags", $"{Registry}/tool/inspected")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task FailuresExitNonZeroWithTheirCodesOnStandardErrorAndPushNothing()
    {
        ProcessResult usage = await RunAsync("merge", fixture.Sources[0]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("error MAC2025:", usage.StandardError, StringComparison.Ordinal);
        Assert.Contains("--tag", usage.StandardError, StringComparison.Ordinal);
        Assert.Empty(usage.StandardOutput);

        ProcessResult twoRepositories = await RunAsync("merge", "-t", $"{Registry}/tool/a:1", "-t", $"{Registry}/tool/b:1", fixture.Sources[0]);
        Assert.Equal(1, twoRepositories.ExitCode);
        Assert.Contains("error MAC2024:", twoRepositories.StandardError, StringComparison.Ordinal);

        ProcessResult noRegistry = await RunAsync("merge", "-t", "tool/failed:1.0", fixture.Sources[0]);
        Assert.Equal(1, noRegistry.ExitCode);
        Assert.Contains("error MAC2026:", noRegistry.StandardError, StringComparison.Ordinal);

        ProcessResult badAnnotation = await RunAsync("merge", "-t", $"{Registry}/tool/failed:1.0", "--annotation", "indx[linux/amd64]:com.example.a=b", fixture.Sources[0]);
        Assert.Equal(1, badAnnotation.ExitCode);
        Assert.Contains("error MAC2015: The --annotation entry", badAnnotation.StandardError, StringComparison.Ordinal);

        ProcessResult missing = await RunAsync("merge", "-t", $"{Registry}/tool/failed:1.0", fixture.Sources[0], $"{Registry}/fanout/app:no-such-tag");
        Assert.Equal(1, missing.ExitCode);
        Assert.Matches(@"(?m)^error MAC\d{4}: .*no-such-tag", missing.StandardError);
        Assert.Empty(missing.StandardOutput);

        // Two different images for one platform (the same image twice is simply taken once).
        using (var client = new RegistryClient(Registry))
        {
            TestImage other = TestImage.Create(BaseImageSeeder.EightPlatforms[0], "another amd64 image");
            await BaseImageSeeder.PushAsync(client, "tool/other", other);
            await client.PutManifestAsync("tool/other", "1", other.Manifest, MediaTypes.OciManifest, CancellationToken.None);
        }

        ProcessResult duplicate = await RunAsync("merge", "-t", $"{Registry}/tool/failed:1.0", fixture.Sources[0], $"{Registry}/tool/other:1");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("error MAC2020:", duplicate.StandardError, StringComparison.Ordinal);

        Assert.Empty(await Skopeo.ListTagsAsync($"{Registry}/tool/failed"));
    }

    [Fact]
    public async Task DryRunFilterAppendMetadataFileAndArchiveWorkAsInMergeMultiArch()
    {
        ProcessResult dryRun = await RunAsync(["merge", "--dry-run", "-t", $"{Registry}/tool/paths:1.0", .. fixture.Sources]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Combined);
        Assert.Equal(8, JsonNode.Parse(dryRun.StandardOutput)!["manifests"]!.AsArray().Count);
        Assert.Empty(await Skopeo.ListTagsAsync($"{Registry}/tool/paths"));

        // Two platforms of eight, with a metadata file; then that file is the source of an appending merge.
        string metadata = Path.Combine(fixture.Root, "paths.json");
        ProcessResult filtered = await RunAsync(["merge", "-t", $"{Registry}/tool/paths:1.0", "--platform", "linux/amd64,linux/arm64/v8", "--metadata-file", metadata, .. fixture.Sources]);
        Assert.True(filtered.ExitCode == 0, filtered.Combined);
        JsonNode written = JsonNode.Parse(File.ReadAllText(metadata))!;
        Assert.Equal(filtered.StandardOutput.Trim(), written["containerimage.digest"]!.GetValue<string>());
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/tool/paths:1.0"))!["manifests"]!.AsArray().Select(PlatformOf));

        ProcessResult appended = await RunAsync("merge", "--append", "-t", $"{Registry}/tool/paths:1.0", fixture.Sources[3]);
        Assert.True(appended.ExitCode == 0, appended.Combined);
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "linux/386"], JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/tool/paths:1.0"))!["manifests"]!.AsArray().Select(PlatformOf));

        ProcessResult fromMetadata = await RunAsync("merge", "-t", $"{Registry}/tool/copied:2.0", metadata);
        Assert.True(fromMetadata.ExitCode == 0, fromMetadata.Combined);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/tool/copied:2.0"))!["manifests"]!.AsArray().Select(PlatformOf));

        // An OCI archive needs no registry in its tag; skopeo reads the same index from it.
        string archive = Path.Combine(fixture.Root, "eight.tar");
        ProcessResult archived = await RunAsync(["merge", "-t", "tool/archived:1.0", "--archive", archive, "--annotation", "com.example.archived=yes", .. fixture.Sources]);
        Assert.True(archived.ExitCode == 0, archived.Combined);
        ProcessResult inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}:1.0"]);
        Assert.True(inspect.ExitCode == 0, inspect.Combined);
        JsonNode fromArchive = JsonNode.Parse(inspect.StandardOutput)!;
        Assert.Equal("yes", fromArchive["annotations"]!["com.example.archived"]!.GetValue<string>());
        Assert.Equal(EightPlatformNames, fromArchive["manifests"]!.AsArray().Select(PlatformOf));

        // That archive is a source in turn: its images are uploaded into the registry.
        ProcessResult fromArchiveSource = await RunAsync("merge", "-t", $"{Registry}/tool/unarchived:1.0", "--platform", "linux/s390x", $"{archive}:1.0");
        Assert.True(fromArchiveSource.ExitCode == 0, fromArchiveSource.Combined);
        Assert.Equal(["linux/s390x"], JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/tool/unarchived:1.0"))!["manifests"]!.AsArray().Select(PlatformOf));
    }

    [Fact]
    public async Task PushCredentialsGoOnlyToTheRegistryWrittenToAndNeverIntoTheOutput()
    {
        string auth = fixture.AuthRegistry.Address;
        var pushOnly = new Dictionary<string, string?>
        {
            ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = TestCredentials.User,
            ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = TestCredentials.Password,
            ["DOCKER_CONFIG"] = fixture.Root,
        };

        // Sources from the open registry, the index into the one with auth: the push credentials are used there.
        ProcessResult merged = await fixture.RunAsync(output, pushOnly, ["merge", "-t", $"{auth}/tool/private:1.0", "--annotation", "com.example.auth=basic", .. fixture.Sources.Take(2)]);
        Assert.True(merged.ExitCode == 0, merged.Combined);
        Assert.DoesNotContain(TestCredentials.Password, merged.Combined, StringComparison.Ordinal);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{auth}/tool/private:1.0", TestCredentials.Pair))!;
        Assert.Equal("basic", index["annotations"]!["com.example.auth"]!.GetValue<string>());

        // Reading is a pull: push credentials are not offered for it, as in the MSBuild tasks.
        ProcessResult refused = await fixture.RunAsync(output, pushOnly, "inspect", $"{auth}/tool/private:1.0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"(?m)^error MAC1002: ", refused.StandardError);
        Assert.DoesNotContain(TestCredentials.Password, refused.Combined, StringComparison.Ordinal);

        ProcessResult read = await fixture.RunAsync(output,
            new Dictionary<string, string?> { ["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = TestCredentials.User, ["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = TestCredentials.Password, ["DOCKER_CONFIG"] = fixture.Root },
            "inspect", $"{auth}/tool/private:1.0");
        Assert.True(read.ExitCode == 0, read.Combined);
        Assert.Contains("com.example.auth: basic", read.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectShowsEachAttestationWithTheImageItDescribesAndMergeKeepsItPointingThere()
    {
        using var client = new RegistryClient(Registry);
        TestImage image = TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "attested");
        await BaseImageSeeder.PushAsync(client, "tool/attested", image);
        byte[] statement = "{\"_type\":\"https://in-toto.io/Statement/v1\"}"u8.ToArray();
        byte[] config = "{\"architecture\":\"unknown\",\"os\":\"unknown\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"u8.ToArray();
        foreach (byte[] blob in new[] { statement, config })
        {
            await client.UploadBlobAsync("tool/attested", Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None);
        }

        byte[] attestation = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, config),
            Layers = [Descriptor.For("application/vnd.in-toto+json", statement) with { Annotations = new Dictionary<string, string> { [InspectedPredicateKey] = "https://spdx.dev/Document" } }],
        });
        await client.PutManifestAsync("tool/attested", Digest.Sha256(attestation).ToString(), attestation, MediaTypes.OciManifest, CancellationToken.None);
        string imageDigest = image.ManifestDescriptor.Digest.ToString();
        byte[] index = OciJson.Serialize(new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                image.ManifestDescriptor,
                Descriptor.For(MediaTypes.OciManifest, attestation) with
                {
                    Platform = new Platform { Os = "unknown", Architecture = "unknown" },
                    Annotations = new Dictionary<string, string> { [Descriptor.ReferenceDigestKey] = imageDigest, ["vnd.docker.reference.type"] = "attestation-manifest" },
                },
            ],
        });
        await client.PutManifestAsync("tool/attested", "1", index, MediaTypes.OciIndex, CancellationToken.None);

        ProcessResult json = await RunAsync("inspect", $"{Registry}/tool/attested:1", "--format", "json");
        Assert.True(json.ExitCode == 0, json.Combined);
        JsonNode report = JsonNode.Parse(json.StandardOutput)!;
        Assert.Equal(["linux/amd64"], report["manifests"]!.AsArray().Select(m => m!["platform"]!.GetValue<string>()));
        JsonNode entry = Assert.Single(report["attestations"]!.AsArray())!;
        Assert.Equal((imageDigest, "linux/amd64"), (entry["attests"]!.GetValue<string>(), entry["attestsPlatform"]!.GetValue<string>()));
        Assert.Equal(["https://spdx.dev/Document"], entry["predicateTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        ProcessResult table = await RunAsync("inspect", $"{Registry}/tool/attested:1");
        Assert.Contains($"for linux/amd64 {imageDigest}", table.StandardOutput, StringComparison.Ordinal);

        // Two sources that carry the same image and attestation: each is taken once.
        ProcessResult twice = await RunAsync("merge", "-t", $"{Registry}/tool/attested-twice:1", $"{Registry}/tool/attested:1", $"{Registry}/tool/attested@{Digest.Sha256(index)}");
        Assert.True(twice.ExitCode == 0, twice.Combined);
        Assert.Equal(index, System.Text.Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{Registry}/tool/attested-twice:1")));

        // A manifest annotation gives the image a new digest; the merged index's attestation points at the new one.
        ProcessResult merged = await RunAsync("merge", "-t", $"{Registry}/tool/attested-merged:1", "--annotation", "manifest:com.example.merged=yes", $"{Registry}/tool/attested:1");
        Assert.True(merged.ExitCode == 0, merged.Combined);
        JsonNode after = JsonNode.Parse((await RunAsync("inspect", $"{Registry}/tool/attested-merged:1", "--format", "json")).StandardOutput)!;
        string newDigest = Assert.Single(after["manifests"]!.AsArray())!["digest"]!.GetValue<string>();
        Assert.NotEqual(imageDigest, newDigest);
        Assert.Equal(newDigest, Assert.Single(after["attestations"]!.AsArray())!["attests"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnATerminalTheBytesOfLargeCopiesShowAndInALogTheyDoNot()
    {
        using (var client = new RegistryClient(Registry))
        {
            // About 2 MiB compressed: random hex text.
            TestImage large = TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * 1024 * 1024)));
            await BaseImageSeeder.PushAsync(client, "tool/large", large);
            await client.PutManifestAsync("tool/large", "1", large.Manifest, MediaTypes.OciManifest, CancellationToken.None);
        }

        string auth = fixture.AuthRegistry.Address;
        var credentials = new Dictionary<string, string?>
        {
            ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = TestCredentials.User,
            ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = TestCredentials.Password,
            ["DOCKER_CONFIG"] = fixture.Root,
        };

        // Through a pseudo-terminal (script), as on a developer's terminal: one progress line for the large layer.
        string command = $"{fixture.Command} merge -t {auth}/tool/large:terminal {Registry}/tool/large:1";
        ProcessResult terminal = await ProcessRunner.RunAsync("script", ["-qec", command, "/dev/null"], fixture.Root, credentials);
        output.WriteLine(terminal.Combined);
        Assert.True(terminal.ExitCode == 0, terminal.Combined);
        // (The line reader here splits at the carriage return that rewrites the line.)
        Assert.Matches(@"(?m)^copying tool/large@sha256:[0-9a-f]{12}: [0-9.]+ of [0-9.]+ MiB", terminal.StandardOutput);

        // Redirected, as in CI: no progress line at all.
        ProcessResult log = await fixture.RunAsync(output, credentials, "merge", "-t", $"{auth}/tool/large:log", $"{Registry}/tool/large:1");
        Assert.True(log.ExitCode == 0, log.Combined);
        Assert.DoesNotContain("copying", log.Combined, StringComparison.Ordinal);
        Assert.Equal(
            await Skopeo.InspectRawAsync($"{auth}/tool/large:terminal", TestCredentials.Pair),
            await Skopeo.InspectRawAsync($"{auth}/tool/large:log", TestCredentials.Pair));
    }

    private const string InspectedPredicateKey = "in-toto.io/predicate-type";

    private static string PlatformOf(JsonNode? manifest)
    {
        JsonNode platform = manifest!["platform"]!;
        string name = $"{platform["os"]!.GetValue<string>()}/{platform["architecture"]!.GetValue<string>()}";
        return platform["variant"] is { } variant ? $"{name}/{variant.GetValue<string>()}" : name;
    }
}
