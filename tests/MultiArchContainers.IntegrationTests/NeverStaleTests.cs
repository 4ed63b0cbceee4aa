namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// A publish never ships stale bytes: after each kind of change to what an app is made of, through dotnet publish on
/// both ways of publishing, both pushed images hold the changed bytes (read back with skopeo, the linux-x64 app run
/// here), and an unchanged republish builds nothing.
/// </summary>
[Collection(PublishCollection.Name)]
public class NeverStaleTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] ManagedFiles = ["app/app.dll", "app/Lib.dll", "app/Lib2.dll", "app/Acme.Stale.dll", "app/content.txt", "app/app.runtimeconfig.json"];


    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKindOfChangeReachesBothPushedImages(bool imageIsThePublish)
    {
        string registry = fixture.Registry.Address;
        string repository = imageIsThePublish ? "team/never-stale-image" : "team/never-stale-target";
        string baseA = $"{registry}/dotnet/stale-base-a:10.0";
        string baseB = $"{registry}/dotnet/stale-base-b:10.0";
        await BaseImageSeeder.SeedAsync(registry, "dotnet/stale-base-a", "10.0", note: "a");
        await BaseImageSeeder.SeedAsync(registry, "dotnet/stale-base-b", "10.0", note: "b");
        using var sandbox = new Sandbox(fixture, StaleInputsApp.ProjectXml(fixture, repository, baseA, imageIsThePublish));
        string app = sandbox.Folder;
        await StaleInputsApp.PackAsync(sandbox, fixture.Feed, "1.0.0");
        await StaleInputsApp.PackAsync(sandbox, fixture.Feed, "2.0.0");
        StaleInputsApp.Write(app);

        async Task<ProcessResult> PublishAsync()
        {
            ProcessResult result = imageIsThePublish
                ? await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n"])
                : await sandbox.PublishAsync();
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
            return result;
        }

        // Publishes, then reads both images back: they hold the same managed files, and the app says what it was built from.
        async Task<string> PublishAndRunAsync(string change, params string[] expected)
        {
            output.WriteLine($"=== {change}");
            ProcessResult result = await PublishAsync();
            Assert.DoesNotContain("up to date; nothing it is built from changed", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("MAC2103", result.StandardOutput, StringComparison.Ordinal);
            PlatformImageContent amd64 = await PlatformImageContent.ReadAsync($"{registry}/{repository}:1.0", "amd64");
            PlatformImageContent arm64 = await PlatformImageContent.ReadAsync($"{registry}/{repository}:1.0", "arm64", "v8");
            foreach (string file in ManagedFiles)
            {
                Assert.True(amd64.AppFiles[file].SequenceEqual(arm64.AppFiles[file]), $"{change}: {file} differs between the two images");
            }

            string printed = await amd64.RunAsync("app/app.dll");
            foreach (string line in expected)
            {
                Assert.True(printed.Contains(line, StringComparison.Ordinal), $"{change}: the pushed app says\n{printed}\nwithout '{line}'");
            }

            return result.StandardOutput;
        }

        string first = await PublishAndRunAsync("first publish", "lib: shallow + deep-1", "content: content-1", "template: template-1", "package: package-1.0.0", "generated: notes-1", "saved: saved-1", "server gc: False");
        // Compiled once: the app's compiler runs once for both RIDs.
        Assert.Equal(1, first.Split('\n').Count(line => line.Contains("CompilerServer:", StringComparison.Ordinal) && line.TrimEnd().EndsWith("- app (net10.0)", StringComparison.Ordinal)));

        ProcessResult unchanged = await PublishAsync();
        Assert.Equal(2, unchanged.StandardOutput.Split('\n').Count(line => line.Contains("up to date; nothing it is built from changed", StringComparison.Ordinal)));

        File.WriteAllText(Path.Combine(app, "lib2", "Source.cs"), "namespace Lib2; public static class Deep { public static string Text => \"deep-2\"; }\n");
        await PublishAndRunAsync("a referenced project's source, two levels deep", "lib: shallow + deep-2");

        File.WriteAllText(Path.Combine(app, "content.txt"), "content-2\n");
        await PublishAndRunAsync("a content file", "content: content-2");

        File.WriteAllText(Path.Combine(app, "runtimeconfig.template.json"), """{ "configProperties": { "Stale.Template": "template-2" } }""");
        await PublishAndRunAsync("runtimeconfig.template.json", "template: template-2");

        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project><PropertyGroup><DefineConstants>$(DefineConstants);FROM_PROPS</DefineConstants></PropertyGroup></Project>");
        await PublishAndRunAsync("a new Directory.Build.props", "props: yes");

        File.WriteAllText(sandbox.ProjectPath, File.ReadAllText(sandbox.ProjectPath).Replace("\"Acme.Stale\" Version=\"1.0.0\"", "\"Acme.Stale\" Version=\"2.0.0\"", StringComparison.Ordinal));
        await PublishAndRunAsync("a NuGet package version", "package: package-2.0.0");

        sandbox.Environment["ServerGarbageCollection"] = "true";
        await PublishAndRunAsync("a property given in the environment", "server gc: True");

        File.WriteAllText(sandbox.ProjectPath, File.ReadAllText(sandbox.ProjectPath).Replace(baseA, baseB, StringComparison.Ordinal));
        await PublishAndRunAsync("a new base image reference with ContainerGenerateLabels=false");
        string baseLayer = Assert.Single(JsonLayers(await Skopeo.InspectRawAsync($"{registry}/dotnet/stale-base-b@{await PlatformManifestAsync(baseB, "amd64")}")));
        Assert.Equal(baseLayer, (await PlatformImageContent.ReadAsync($"{registry}/{repository}:1.0", "amd64")).LayerDigests[0]);

        File.WriteAllText(Path.Combine(app, "notes.txt"), "notes-2\n");
        await PublishAndRunAsync("a source generator's additional file", "generated: notes-2");

        // Two edits of equal size within one tick of the file system's clock: the time says nothing changed.
        string deep = Path.Combine(app, "lib2", "Source.cs");
        DateTime time = File.GetLastWriteTimeUtc(deep);
        File.WriteAllText(deep, "namespace Lib2; public static class Deep { public static string Text => \"deep-3\"; }\n");
        File.SetLastWriteTimeUtc(deep, time);
        await PublishAndRunAsync("two edits of equal size within one tick", "lib: shallow + deep-3");

        // A source saved while a publish runs: that publish says so (its images may hold either version), and the next
        // one builds the saved source into both images.
        File.WriteAllText(Path.Combine(app, "save-next.txt"), "static class Saved { public const string Text = \"saved-2\"; }\n");
        ProcessResult during = await PublishAsync();
        Assert.Contains($"warning MAC2103: '{Path.Combine(app, "Saved.cs")}' changed while this publish built its images", during.StandardOutput, StringComparison.Ordinal);
        File.Delete(Path.Combine(app, "save-next.txt"));
        await PublishAndRunAsync("a source saved during the publish before", "saved: saved-2");

        ProcessResult settled = await PublishAsync();
        Assert.Equal(2, settled.StandardOutput.Split('\n').Count(line => line.Contains("up to date; nothing it is built from changed", StringComparison.Ordinal)));
    }

    private static IEnumerable<string> JsonLayers(string manifest) =>
        System.Text.Json.Nodes.JsonNode.Parse(manifest)!["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>());

    private static async Task<string> PlatformManifestAsync(string index, string architecture) =>
        System.Text.Json.Nodes.JsonNode.Parse(await Skopeo.InspectRawAsync(index))!["manifests"]!.AsArray()
            .First(m => m!["platform"]!["architecture"]!.GetValue<string>() == architecture)!["digest"]!.GetValue<string>();

    [Fact]
    public async Task TwoPublishesOfOneProjectAtOnceEachPushTheirOwnImage()
    {
        using var sandbox = fixture.SandboxWith(fixture.Publishing("team/at-once", "latest") + PublishFixture.ImageIsThePublish);
        string registry = fixture.Registry.Address;
        File.WriteAllText(Path.Combine(sandbox.Folder, "Program.cs"), "System.Console.WriteLine(System.Reflection.Assembly.GetEntryAssembly()!.GetName().Version);\n");

        ProcessResult[] results = await Task.WhenAll(
            sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n", "-p:Version=1.1.0", "-p:ContainerImageTags=one"]),
            sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n", "-p:Version=1.2.0", "-p:ContainerImageTags=two"]));

        foreach (ProcessResult result in results)
        {
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
        }

        // One waited for the other: they share the project's bin and obj.
        Assert.Single(results, r => r.StandardOutput.Contains("Another publish of this project is running; this one waits", StringComparison.Ordinal));
        foreach ((string tag, string version) in new[] { ("one", "1.1.0.0"), ("two", "1.2.0.0") })
        {
            Assert.Equal(version + "\n", await (await PlatformImageContent.ReadAsync($"{registry}/team/at-once:{tag}", "amd64")).RunAsync("app/app.dll"));
            Assert.Equal(version + "\n", await (await PlatformImageContent.ReadAsync($"{registry}/team/at-once:{tag}", "arm64", "v8")).RunAsync("app/app.dll"));
        }
    }

    [Fact]
    public async Task WithABaseImageWithoutHistoryEveryBaseLayerOfThePushedImagesIsTheBases()
    {
        string registry = fixture.Registry.Address;
        await LargeBaseImage.SeedAsync(registry, "dotnet/no-history", "10.0", megabytes: 2, history: false);
        using var sandbox = fixture.SandboxWith(
            fixture.Publishing("team/on-no-history", "latest") + PublishFixture.ImageIsThePublish, baseImage: $"{registry}/dotnet/no-history:10.0");

        ProcessResult result = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-nologo", "-v:n"]);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        // The SDK writes a history entry for every layer of such a base; which layers are the base's comes from the
        // base manifest: they are pushed as they are, and only the app layer is the publish's own.
        foreach ((string architecture, string? variant) in new[] { ("amd64", (string?)null), ("arm64", "v8") })
        {
            string[] baseLayers = [.. JsonLayers(await Skopeo.InspectRawAsync($"{registry}/dotnet/no-history@{await PlatformManifestAsync($"{registry}/dotnet/no-history:10.0", architecture)}"))];
            PlatformImageContent pushed = await PlatformImageContent.ReadAsync($"{registry}/team/on-no-history:latest", architecture, variant);
            Assert.Equal(4, baseLayers.Length);
            Assert.Equal(baseLayers, pushed.LayerDigests.Take(baseLayers.Length));
            Assert.Equal(baseLayers.Length + 1, pushed.LayerDigests.Count);
        }
    }
}
