using System.Runtime.Versioning;

namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public partial class BuildNodeTests(PublishFixture fixture, ITestOutputHelper output)
{
    private string Project(string repository, string node) => fixture.Project(
        $"""
        <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
        <ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>
        <ContainerRepository>{repository}</ContainerRepository>
        <ContainerBuildNodeAcceptUnknownHostKeys>true</ContainerBuildNodeAcceptUnknownHostKeys>
        """,
        $"""
        <ContainerIndexAnnotation Include="com.example.split" Value="x64 here, arm64 on a node" />
        {node}
        """);

    private static List<JsonNode?> Images(JsonNode index) =>
        index["manifests"]!.AsArray().Where(m => m!["platform"]!["os"]!.GetValue<string>() != "unknown").ToList();

    /// <summary>ContainerSbom or ContainerProvenance: each image has exactly one attestation manifest naming it.</summary>
    private static void AssertEachImageHasOneAttestation(JsonNode index)
    {
        var attestations = index["manifests"]!.AsArray().Where(m => m!["platform"]!["os"]!.GetValue<string>() == "unknown").ToList();
        Assert.Equal(Images(index).Count, attestations.Count);
        foreach (JsonNode? image in Images(index))
        {
            Assert.Single(attestations, a => a!["annotations"]!["vnd.docker.reference.digest"]!.GetValue<string>() == image!["digest"]!.GetValue<string>());
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ANodeBuildsItsRidAndAStoppedNodeFailsWithoutMovingATag()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string repository = "team/noded";
        // The node's dotnet writes down the command line it was started with, as the node's process list shows it.
        string commandLog = Path.Combine(sshd.Root, "dotnet-command-lines.log");
        string dotnet = Path.Combine(Directory.CreateDirectory(Path.Combine(sshd.Root, "logging-bin")).FullName, "dotnet");
        File.WriteAllText(dotnet, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{commandLog}'\nexec dotnet \"$@\"\n");
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string node = $"""
            <ContainerBuildNode Include="arm-builder" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" WorkingDirectory="{sshd.Root}/work" DotnetPath="{dotnet}" />
            <ContainerLabel Include="com.example.token" Value="$(NodeToken)" />
            """;
        using var sandbox = new Sandbox(fixture, Project(repository, node));

        // A property given on the command line reaches the node's build as it reaches the local ones, in a response
        // file sent over the connection: a secret given as -p: is on no command line either machine shows. A path of
        // this machine is not sent.
        const string Canary = "canary-node-secret;and more";
        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0", "-p:Version=3.4.5-node", "-p:ContainerSbom=true", $"-p:NodeToken=\"{Canary}\"", "-p:SolutionDir=/home/someone/src/");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.Contains("Not sent to the build nodes, as they name this machine's paths: SolutionDir.", result.StandardOutput, StringComparison.Ordinal);
        string commands = File.ReadAllText(commandLog);
        Assert.Contains("@", commands, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-node-secret", commands, StringComparison.Ordinal);
        Assert.DoesNotContain("/home/someone/src/", commands, StringComparison.Ordinal);
        JsonNode armLabels = (await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "arm64", "v8"))["config"]!["Labels"]!;
        Assert.Equal(Canary, armLabels["com.example.token"]!.GetValue<string>());

        Assert.Contains("linux-arm64 is built on node arm-builder", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[arm-builder]", result.StandardOutput, StringComparison.Ordinal);
        // Only x64 was built here (the SDK names each image archive it writes; the node's lines carry its name);
        // the publish's working folder is gone.
        string[] localLines = result.StandardOutput.Split('\n').Where(l => !l.Contains("[arm-builder]", StringComparison.Ordinal)).ToArray();
        Assert.Contains(localLines, l => l.Contains("/linux-x64/image.tar", StringComparison.Ordinal));
        Assert.DoesNotContain(localLines, l => l.Contains("/linux-arm64/image.tar", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(sandbox.Folder, "obj", "multiarch", "Release"), "run-*"));
        Assert.True(Directory.Exists(Path.Combine(sshd.NodeRoot, "nuget", "multiarchcontainers.sdk")), "the node restored this SDK from the package sent over ssh");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(sshd.Root, "work")));
        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0");
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("x64 here, arm64 on a node", index["annotations"]!["com.example.split"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], Images(index).Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        // The node made and pushed the SBOM of what it built, and said so in its answer.
        AssertEachImageHasOneAttestation(index);
        JsonNode armConfig = await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "arm64", "v8");
        Assert.Equal("arm64", armConfig["architecture"]!.GetValue<string>());
        Assert.Equal("3.4.5-node", armConfig["config"]!["Labels"]!["org.opencontainers.image.version"]!.GetValue<string>());
        JsonNode x64Config = await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "amd64");
        Assert.Equal("3.4.5-node", x64Config["config"]!["Labels"]!["org.opencontainers.image.version"]!.GetValue<string>());

        await sshd.StopAsync();
        ProcessResult stopped = await sandbox.PublishAsync("-p:ContainerImageTags=\"1.0;2.0\"");
        output.WriteLine(stopped.Combined);

        Assert.NotEqual(0, stopped.ExitCode);
        Assert.Contains("error MAC3002: The build node 'arm-builder'", stopped.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("for linux-arm64", stopped.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0"));

        // The node is back: the same publish succeeds with no cleanup in between.
        await sshd.RestartAsync();
        ProcessResult again = await sandbox.PublishAsync("-p:ContainerImageTags=\"1.0;2.0\"");
        Assert.True(again.ExitCode == 0, again.Combined);
        Assert.Equal(["1.0", "2.0"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));
    }

    [Fact]
    public async Task TheNodeGetsTheWholeRepositorySoProjectReferencesAndRootPropsBuild()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string repository = "team/in-a-repo";
        string node = $"""<ContainerBuildNode Include="repo-builder" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />""";
        using var sandbox = new Sandbox(fixture, "<Project />");
        File.Delete(sandbox.ProjectPath);
        File.Delete(Path.Combine(sandbox.Folder, "Program.cs"));

        // A repository: .git at the root, props at the root, the app and a library it references in folders of their own.
        Directory.CreateDirectory(Path.Combine(sandbox.Folder, ".git"));
        File.WriteAllText(Path.Combine(sandbox.Folder, "Directory.Build.props"), """
            <Project>
              <ItemGroup>
                <ContainerLabel Include="com.example.from-repository-root" Value="props: arrived" />
              </ItemGroup>
            </Project>
            """);
        string lib = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "src", "Greeting")).FullName;
        File.WriteAllText(Path.Combine(lib, "Greeting.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(lib, "Greeting.cs"), "namespace Greeting; public static class Text { public const string Hello = \"hello from a library\"; }\n");
        string app = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "src", "App")).FullName;
        File.WriteAllText(Path.Combine(app, "Program.cs"), "System.Console.WriteLine(Greeting.Text.Hello);\n");
        File.WriteAllText(Path.Combine(app, "App.csproj"), Project(repository, node)
            .Replace("</Project>", """<ItemGroup><ProjectReference Include="../Greeting/Greeting.csproj" /></ItemGroup></Project>""", StringComparison.Ordinal));

        ProcessResult result = await sandbox.DotnetAsync(["publish", Path.Combine(app, "App.csproj"), "-t:PublishMultiArch", "-nologo", "-v:n", "-p:ContainerImageTags=1.0"]);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        Assert.Contains($"Sending {sandbox.Folder} (9 files) to the build nodes; they build src/App/App.csproj", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("linux-arm64 is built on node repo-builder", result.StandardOutput, StringComparison.Ordinal);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0"))!;
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        JsonNode armConfig = await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "arm64", "v8");
        Assert.Equal("props: arrived", armConfig["config"]!["Labels"]!["com.example.from-repository-root"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANodeInItsOwnNetworkNamespaceReachesTheRegistryAtItsVethAddress()
    {
        await using NetworkNamespace network = await NetworkNamespace.CreateAsync();
        await using RegistryProcess registry = await RegistryProcess.StartAsync(host: network.HostAddress);
        string insecure = registry.Address;
        await BaseImageSeeder.SeedAsync(registry.Address, "dotnet/runtime", "10.0", environment: n => n == "DOTNET_CONTAINER_INSECURE_REGISTRIES" ? insecure : null);
        await using SshdProcess sshd = await SshdProcess.StartAsync(network, $"DOTNET_CONTAINER_INSECURE_REGISTRIES={insecure}");
        string node = $"""<ContainerBuildNode Include="netns-arm" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />""";
        using var sandbox = new Sandbox(fixture, Project("team/netns", node)
            .Replace(fixture.Registry.Address, registry.Address, StringComparison.Ordinal));
        sandbox.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = insecure;

        // The namespace has no route to package feeds: give the node's own cache the packs a restore needs,
        // but not this SDK, which must arrive over the ssh connection.
        ProcessResult restore = await sandbox.DotnetAsync(["restore", sandbox.ProjectPath, "-nologo"]);
        Assert.True(restore.ExitCode == 0, restore.Combined);
        string nodeCache = Path.Combine(sshd.NodeRoot, "nuget");
        Directory.CreateDirectory(nodeCache);
        foreach (string package in Directory.EnumerateDirectories(fixture.NuGetPackages).Where(d => Path.GetFileName(d) != "multiarchcontainers.sdk"))
        {
            ProcessResult copied = await ProcessRunner.RunAsync("cp", ["-a", package, nodeCache]);
            Assert.True(copied.ExitCode == 0, copied.Combined);
        }

        // A property given on the command line reaches the node's build as it reaches the local ones.
        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0", "-p:Version=3.4.5-node", "-p:ContainerSbom=true");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        Assert.Contains($"linux-arm64 is built on node netns-arm ({sshd.Address})", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(nodeCache, "multiarchcontainers.sdk")));
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Address}/team/netns:1.0"))!;
        Assert.Equal(["amd64", "arm64"], Images(index).Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        AssertEachImageHasOneAttestation(index);
        Assert.Equal("x64 here, arm64 on a node", index["annotations"]!["com.example.split"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANodeCanSendItsImageBackAsAnArchive()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string repository = "team/noded-archive";
        string node = $"""<ContainerBuildNode Include="arm-archive" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" Transfer="archive" />""";
        using var sandbox = new Sandbox(fixture, Project(repository, node));

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0", "-p:ContainerProvenance=true");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        Assert.Contains("[arm-archive] sent the image of linux-arm64 back as an OCI archive", result.StandardOutput, StringComparison.Ordinal);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0"))!;
        Assert.Equal(["amd64", "arm64"], Images(index).Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        AssertEachImageHasOneAttestation(index);
        Assert.Equal("v8", index["manifests"]![1]!["platform"]!["variant"]!.GetValue<string>());
        JsonNode armConfig = await Skopeo.InspectConfigAsync($"{fixture.Registry.Address}/{repository}:1.0", "arm64", "v8");
        Assert.Equal("arm64", armConfig["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithArchiveOutputANodeSendsItsImageBackAndNothingIsPushed()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string repository = "team/noded-to-archive";
        string node = $"""<ContainerBuildNode Include="arm-builder" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />""";
        using var sandbox = new Sandbox(fixture, Project(repository, node));
        string archive = Path.Combine(sandbox.Folder, "out", "multi.tar");

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0", $"-p:ContainerArchiveOutputPath={archive}", "-p:ContainerSbom=true");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        Assert.Contains("linux-arm64 is built on node arm-builder", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[arm-builder] sent the image of linux-arm64 back as an OCI archive", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));
        ProcessResult inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}:1.0"]);
        Assert.True(inspect.ExitCode == 0, inspect.Combined);
        JsonNode index = JsonNode.Parse(inspect.StandardOutput)!;
        Assert.Equal("x64 here, arm64 on a node", index["annotations"]!["com.example.split"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], Images(index).Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        AssertEachImageHasOneAttestation(index);
        // Every attestation manifest is in the archive with its statements, the node's included.
        string unpacked = Path.Combine(sandbox.Folder, "unpacked");
        Directory.CreateDirectory(unpacked);
        System.Formats.Tar.TarFile.ExtractToDirectory(archive, unpacked, overwriteFiles: false);
        string Blob(string digest) => Path.Combine(unpacked, "blobs", "sha256", digest["sha256:".Length..]);
        foreach (JsonNode? attestation in index["manifests"]!.AsArray().Where(m => m!["platform"]!["os"]!.GetValue<string>() == "unknown"))
        {
            JsonNode manifest = JsonNode.Parse(File.ReadAllText(Blob(attestation!["digest"]!.GetValue<string>())))!;
            JsonNode layer = Assert.Single(manifest["layers"]!.AsArray())!;
            Assert.Equal("https://spdx.dev/Document", JsonNode.Parse(File.ReadAllText(Blob(layer["digest"]!.GetValue<string>())))!["predicateType"]!.GetValue<string>());
        }

        ProcessResult arm = await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", "--override-arch", "arm64", "--override-variant", "v8", $"oci-archive:{archive}:1.0"]);
        Assert.True(arm.ExitCode == 0, arm.Combined);
        Assert.Equal("arm64", JsonNode.Parse(arm.StandardOutput)!["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhenTwoNodesClaimARidTheFirstReachableOneBuildsIt()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string down = $"ssh://{Environment.UserName}@127.0.0.1:{RegistryProcess.FreePort()}";
        string nodes = $"""
            <ContainerBuildNode Include="down" Address="{down}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />
            <ContainerBuildNode Include="up" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />
            """;
        using var sandbox = new Sandbox(fixture, Project("team/first-reachable", nodes));

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0");
        output.WriteLine(result.Combined);

        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.Contains("linux-arm64 is built on node up", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/team/first-reachable"));
    }
}
