namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// ContainerSbom and ContainerProvenance on a two-RID app with one NuGet dependency, in a git repository: every image
/// gets one attestation manifest, read back with skopeo, that survives a merge into another repository, and two clean
/// publishes give one index digest.
/// </summary>
[Collection(PublishCollection.Name)]
public class SupplyChainTests(PublishFixture fixture, ITestOutputHelper output)
{
    private async Task<ProcessResult> RunAsync(Sandbox sandbox, params string[] arguments)
    {
        ProcessResult result = await sandbox.DotnetAsync(arguments);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        return result;
    }

    /// <summary>A small package of our own in the fixture's feed, so the app has one NuGet dependency offline.</summary>
    private async Task PackDependencyAsync(Sandbox sandbox)
    {
        // Inside the sandbox, so its nuget.config and empty Directory.Build files apply; removed before the app builds.
        string folder = Path.Combine(sandbox.Folder, "dependency");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Acme.Greeting.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Acme.Greeting</PackageId>
                <Version>1.2.3</Version>
                <Deterministic>true</Deterministic>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Greeting.cs"), "namespace Acme; public static class Greeting { public const string Text = \"hello\"; }\n");
        if (!File.Exists(Path.Combine(fixture.Feed, "acme.greeting.1.2.3.nupkg")) && !File.Exists(Path.Combine(fixture.Feed, "Acme.Greeting.1.2.3.nupkg")))
        {
            await RunAsync(sandbox, "pack", Path.Combine(folder, "Acme.Greeting.csproj"), "-nologo", "-o", fixture.Feed);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static async Task<string> GitAsync(string folder, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("git", ["-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false", .. arguments], folder);
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput.Trim();
    }

    /// <summary>The attestation manifest's statements, copied out with skopeo into an OCI layout and read from there.</summary>
    private static async Task<List<JsonNode>> StatementsAsync(string reference, string folder)
    {
        Directory.CreateDirectory(folder);
        ProcessResult copy = await ProcessRunner.RunAsync("skopeo", ["copy", "--src-tls-verify=false", "--preserve-digests", $"docker://{reference}", $"oci:{folder}:a"]);
        Assert.True(copy.ExitCode == 0, copy.Combined);
        JsonNode manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(reference))!;
        var statements = new List<JsonNode>();
        foreach (JsonNode? layer in manifest["layers"]!.AsArray())
        {
            Assert.Equal("application/vnd.in-toto+json", layer!["mediaType"]!.GetValue<string>());
            string digest = layer["digest"]!.GetValue<string>();
            JsonNode statement = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "blobs", "sha256", digest["sha256:".Length..])))!;
            Assert.Equal(layer["annotations"]!["in-toto.io/predicate-type"]!.GetValue<string>(), statement["predicateType"]!.GetValue<string>());
            statements.Add(statement);
        }

        return statements;
    }

    [Fact]
    public async Task EveryImageGetsOneAttestationThatSurvivesAMergeAndTwoCleanPublishesGiveOneDigest()
    {
        using var sandbox = fixture.SandboxWith(
            $"""
            {fixture.Publishing("team/attested")}
            <ContainerSbom>true</ContainerSbom>
            <ContainerProvenance>true</ContainerProvenance>
            """,
            """<PackageReference Include="Acme.Greeting" Version="1.2.3" />""");
        string registry = fixture.Registry.Address;
        await PackDependencyAsync(sandbox);
        File.WriteAllText(Path.Combine(sandbox.Folder, "Program.cs"), "System.Console.WriteLine(Acme.Greeting.Text);\n");
        File.WriteAllText(Path.Combine(sandbox.Folder, ".gitignore"), "bin/\nobj/\n.docker/\n");
        await GitAsync(sandbox.Folder, "init", "-q");
        await GitAsync(sandbox.Folder, "add", "-A");
        await GitAsync(sandbox.Folder, "commit", "-qm", "app");
        string commit = await GitAsync(sandbox.Folder, "rev-parse", "HEAD");
        // An origin whose password holds ';' and '#': git writes it quoted, and the provenance names it without the password.
        const string Canary = "canary-origin-secret";
        await GitAsync(sandbox.Folder, "remote", "add", "origin", $"https://ci:{Canary};x#y@example.com/team/app.git");

        ProcessResult published = await RunAsync(sandbox, "publish", sandbox.ProjectPath, "-t:PublishMultiArch", "-nologo", "-v:n");
        // The .NET SDK's own source link task prints such a URL as it is, in its warning that the URL is invalid; no
        // other line of the publish shows it.
        Assert.DoesNotContain(published.Combined.Split('\n'), line => line.Contains(Canary, StringComparison.Ordinal) && !line.Contains("Microsoft.Build.Tasks.Git", StringComparison.Ordinal));
        string raw = await Skopeo.InspectRawAsync($"{registry}/team/attested:1.0");
        JsonArray manifests = JsonNode.Parse(raw)!["manifests"]!.AsArray();
        var images = manifests.Where(m => m!["platform"]!["os"]!.GetValue<string>() != "unknown").ToList();
        var attestations = manifests.Where(m => m!["platform"]!["os"]!.GetValue<string>() == "unknown").ToList();
        Assert.Equal(2, images.Count);
        foreach (JsonNode? image in images)
        {
            string digest = image!["digest"]!.GetValue<string>();
            JsonNode attestation = Assert.Single(attestations, a => a!["annotations"]!["vnd.docker.reference.digest"]!.GetValue<string>() == digest)!;
            Assert.Equal("attestation-manifest", attestation["annotations"]!["vnd.docker.reference.type"]!.GetValue<string>());
            Assert.Equal("unknown", attestation["platform"]!["architecture"]!.GetValue<string>());

            List<JsonNode> statements = await StatementsAsync($"{registry}/team/attested@{attestation["digest"]!.GetValue<string>()}", Path.Combine(sandbox.Scratch, "layout-" + digest[7..19]));
            Assert.Equal(["https://spdx.dev/Document", "https://slsa.dev/provenance/v1"], statements.Select(s => s["predicateType"]!.GetValue<string>()));
            Assert.All(statements, s => Assert.Equal(digest, "sha256:" + Assert.Single(s["subject"]!.AsArray())!["digest"]!["sha256"]!.GetValue<string>()));

            JsonNode sbom = statements[0]["predicate"]!;
            Assert.Equal("SPDX-2.3", sbom["spdxVersion"]!.GetValue<string>());
            JsonNode dependency = Assert.Single(sbom["packages"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Acme.Greeting")!;
            Assert.Equal("pkg:nuget/Acme.Greeting@1.2.3", dependency["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>());
            Assert.Equal("SHA512", dependency["checksums"]![0]!["algorithm"]!.GetValue<string>());
            Assert.Contains(sbom["files"]!.AsArray(), f => f!["fileName"]!.GetValue<string>() == "/app/app.dll");
            Assert.Contains(sbom["packages"]!.AsArray(), p => p!["SPDXID"]!.GetValue<string>() == "SPDXRef-BaseImage" && p["name"]!.GetValue<string>() == fixture.BaseImage);

            JsonNode provenance = statements[1]["predicate"]!;
            JsonArray dependencies = provenance["buildDefinition"]!["resolvedDependencies"]!.AsArray();
            Assert.Contains(dependencies, d => d!["digest"]?["gitCommit"]?.GetValue<string>() == commit);
            Assert.Contains(dependencies, d => d!["uri"]!.GetValue<string>() == $"git+https://example.com/team/app.git@{commit}");
            Assert.All(statements, s => Assert.DoesNotContain(Canary, s.ToJsonString(), StringComparison.Ordinal));
            Assert.Contains(dependencies, d => d!["uri"]!.GetValue<string>() == $"oci://{fixture.BaseImage}" && d["digest"]!["sha256"] is not null);
            Assert.Contains(dependencies, d => d!["uri"]!.GetValue<string>() == "pkg:nuget/Acme.Greeting@1.2.3");
            Assert.Equal("app.csproj", provenance["buildDefinition"]!["externalParameters"]!["project"]!.GetValue<string>());
        }

        // A merge of that tag into another repository keeps every attestation, pointing at the same images.
        await RunAsync(sandbox, "msbuild", sandbox.ProjectPath, "-nologo", "-restore", "-t:MergeMultiArch",
            $"-p:ContainerMergeSources={registry}/team/attested:1.0", "-p:ContainerRepository=team/attested-merged", "-p:ContainerImageTags=2.0");
        JsonArray merged = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/team/attested-merged:2.0"))!["manifests"]!.AsArray();
        Assert.Equal(manifests.Select(m => m!["digest"]!.GetValue<string>()).Order(), merged.Select(m => m!["digest"]!.GetValue<string>()).Order());

        // An unchanged republish confirms each image and its attestation from the record of its last push.
        ProcessResult again = await RunAsync(sandbox, "publish", sandbox.ProjectPath, "-t:PublishMultiArch", "-nologo", "-v:n");
        Assert.Equal(2, again.StandardOutput.Split('\n').Count(line => line.Contains("up to date; nothing it is built from changed", StringComparison.Ordinal)));
        Assert.Equal(2, again.StandardOutput.Split('\n').Count(line => line.Contains("is there already", StringComparison.Ordinal)));
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{registry}/team/attested:1.0"));

        // Two clean publishes of one commit: one index digest, attestations included.
        Directory.Delete(Path.Combine(sandbox.Folder, "bin"), recursive: true);
        Directory.Delete(Path.Combine(sandbox.Folder, "obj"), recursive: true);
        await RunAsync(sandbox, "publish", sandbox.ProjectPath, "-t:PublishMultiArch", "-nologo", "-v:n");
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{registry}/team/attested:1.0"));
    }

    [Fact]
    public async Task PublishPlatformImagePushesTheAttestationBesideTheImageAndItsMetadataFileNamesBoth()
    {
        string registry = fixture.Registry.Address;
        using var sandbox = fixture.SandboxWith($"<ContainerRegistry>{registry}</ContainerRegistry><ContainerProvenance>true</ContainerProvenance>");
        string metadata = Path.Combine(sandbox.Folder, "x64.json");
        await RunAsync(sandbox, "publish", sandbox.ProjectPath, "-t:PublishPlatformImage", "-nologo", "-p:ContainerRuntimeIdentifier=linux-x64",
            "-p:ContainerRepository=team/platform-attested", $"-p:ContainerMetadataFile={metadata}");

        JsonNode document = JsonNode.Parse(File.ReadAllText(metadata))!;
        string image = document["containerimage.digest"]!.GetValue<string>();
        JsonNode attestation = document["attestation"]!;
        Assert.Equal(image, attestation["annotations"]!["vnd.docker.reference.digest"]!.GetValue<string>());
        Assert.Equal("unknown", attestation["platform"]!["os"]!.GetValue<string>());
        string attestationDigest = attestation["digest"]!.GetValue<string>();
        List<JsonNode> statements = await StatementsAsync($"{registry}/team/platform-attested@{attestationDigest}", Path.Combine(sandbox.Scratch, "layout"));
        Assert.Equal("https://slsa.dev/provenance/v1", Assert.Single(statements)["predicateType"]!.GetValue<string>());
        Assert.Empty(await Skopeo.ListTagsAsync($"{registry}/team/platform-attested"));

        // The metadata file as a merge source brings both into the index.
        await RunAsync(sandbox, "msbuild", sandbox.ProjectPath, "-nologo", "-restore", "-t:MergeMultiArch",
            $"-p:ContainerMergeSources={metadata}", "-p:ContainerRepository=team/platform-merged", "-p:ContainerImageTags=1.0");
        JsonArray manifests = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/team/platform-merged:1.0"))!["manifests"]!.AsArray();
        Assert.Equal([image, attestationDigest], manifests.Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Equal(image, manifests[1]!["annotations"]!["vnd.docker.reference.digest"]!.GetValue<string>());
    }
}
