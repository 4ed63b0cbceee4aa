namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// An unchanged republish does no work: each RID's image is reused ("up to date"), and the registry, behind the
/// project's proxy, gets only reads. One changed source file builds and pushes again.
/// </summary>
[Collection(PublishCollection.Name)]
public class RepublishTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static bool Writes(ProxiedRequest request) => request.Method is "PUT" or "POST" or "PATCH" or "DELETE";

    [Fact]
    public async Task AnUnchangedRepublishReusesEveryImageAndWritesNothing()
    {
        await using LimitingProxy registry = LimitingProxy.Start(fixture.Registry);
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRegistry>{registry.Address}</ContainerRegistry>
            <ContainerRepository>team/republished</ContainerRepository>
            <ContainerImageTags>1.0;latest</ContainerImageTags>
            """,
            """<ContainerIndexAnnotation Include="com.example.republish" Value="yes" />""");
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        ProcessResult first = await sandbox.PublishAsync();
        output.WriteLine(first.Combined);
        Assert.True(first.ExitCode == 0, first.Combined);
        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/team/republished:1.0");

        int before = registry.Requests.Count;
        ProcessResult again = await sandbox.PublishAsync();
        output.WriteLine(again.Combined);
        Assert.True(again.ExitCode == 0, again.Combined);
        IReadOnlyList<ProxiedRequest> second = registry.Requests.Skip(before).ToList();

        Assert.Contains("linux-x64: up to date; nothing it is built from changed, so its build is skipped", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("linux-arm64: up to date; nothing it is built from changed, so its build is skipped", again.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("/linux-x64/publish/", again.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", again.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(second, Writes);
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/team/republished:1.0"));

        // Each image is confirmed from the record of its last push, with one HEAD in the whole publish: the index
        // publish does not ask again for what the push stage has just confirmed.
        Assert.Contains("linux-x64: the linux/amd64 image", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("is there already", again.StandardOutput, StringComparison.Ordinal);
        List<string> childHeads = second.Where(r => r.Method == "HEAD" && r.Path.Contains("/manifests/sha256:", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(2, childHeads.Count);
        Assert.Equal(2, childHeads.Distinct().Count());

        File.AppendAllText(Path.Combine(sandbox.Folder, "Program.cs"), "\n// changed\nclass Changed { }\n");
        before = registry.Requests.Count;
        ProcessResult changed = await sandbox.PublishAsync();
        output.WriteLine(changed.Combined);
        Assert.True(changed.ExitCode == 0, changed.Combined);

        Assert.DoesNotContain("up to date", changed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(registry.Requests.Skip(before), Writes);
        Assert.NotEqual(raw, await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/team/republished:1.0"));
    }

    [Fact]
    public async Task APerRidBuildIsSkippedOnlyWhileNothingItIsBuiltFromChanged()
    {
        string registry = fixture.Registry.Address;
        const string BaseRepository = "dotnet/runtime-republish";
        await BaseImageSeeder.SeedAsync(registry, BaseRepository, PublishFixture.BaseTag);
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRegistry>{registry}</ContainerRegistry>
            <ContainerRepository>team/skipped</ContainerRepository>
            """,
            baseImage: $"{registry}/{BaseRepository}:{PublishFixture.BaseTag}");
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        async Task<ProcessResult> PublishAsync(params string[] arguments)
        {
            ProcessResult result = await sandbox.PublishAsync(arguments);
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
            return result;
        }

        static void AssertSkipped(ProcessResult result, bool skipped)
        {
            foreach (string rid in new[] { "linux-x64", "linux-arm64" })
            {
                Assert.Equal(skipped, result.StandardOutput.Contains($"{rid}: up to date; nothing it is built from changed, so its build is skipped", StringComparison.Ordinal));
                // The RID's own publish ran only when its build was not skipped.
                Assert.Equal(!skipped, result.StandardOutput.Contains($"/{rid}/publish/", StringComparison.Ordinal));
            }
        }

        AssertSkipped(await PublishAsync(), skipped: false);
        AssertSkipped(await PublishAsync(), skipped: true);

        // A new source file joins the Compile items: every RID builds again, once.
        File.WriteAllText(Path.Combine(sandbox.Folder, "Extra.cs"), "class Extra { }\n");
        AssertSkipped(await PublishAsync(), skipped: false);
        AssertSkipped(await PublishAsync(), skipped: true);

        // A property given on the command line builds again; ContainerSkipUnchangedBuilds=false always does.
        AssertSkipped(await PublishAsync("-p:ContainerSkipUnchangedBuilds=false"), skipped: false);

        // The base image tag moved to other content: every RID builds again.
        await BaseImageSeeder.SeedAsync(registry, BaseRepository, PublishFixture.BaseTag, [.. BaseImageSeeder.DefaultPlatforms, new Platform { Os = "linux", Architecture = "arm", Variant = "v7" }]);
        AssertSkipped(await PublishAsync(), skipped: false);
        AssertSkipped(await PublishAsync(), skipped: true);
    }
}
