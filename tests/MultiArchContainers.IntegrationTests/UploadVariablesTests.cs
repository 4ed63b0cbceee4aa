namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// The .NET SDK's upload variables reach a publish: against a registry (a proxy in front of the real one) that refuses
/// any request body above 16 KiB, forced chunking with a 16 KiB chunk size sends no request it refuses, and the image
/// lands. An older name works the same, with one MAC1019 warning naming the current one.
/// </summary>
[Collection(PublishCollection.Name)]
public class UploadVariablesTests(PublishFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD", "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES")]
    [InlineData("SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD", "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES")]
    public async Task TheSdksChunkingVariablesGetAnImagePastARegistryThatRefusesLargeBodies(string force, string size)
    {
        await using LimitingProxy registry = LimitingProxy.Start(fixture.Registry, maxBodyLength: 16 * 1024);
        string repository = "team/chunked-" + force.Split('_')[0].ToLowerInvariant();
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRegistry>{registry.Address}</ContainerRegistry>
            <ContainerRepository>{repository}</ContainerRepository>
            <ContainerImageTags>1.0</ContainerImageTags>
            """);
        sandbox.Environment[force] = "true";
        sandbox.Environment[size] = "16384";

        ProcessResult result = await sandbox.PublishAsync();
        output.WriteLine(result.Combined);

        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.DoesNotContain(registry.Requests, r => r.Status == 413);
        List<ProxiedRequest> patches = registry.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches, p => Assert.InRange(p.ContentLength, 1, 16 * 1024));
        Assert.Contains(patches, p => p.ContentLength == 16 * 1024);
        using var index = System.Text.Json.JsonDocument.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0"));
        Assert.Equal(2, index.RootElement.GetProperty("manifests").EnumerateArray().Count(m => m.GetProperty("platform").GetProperty("os").GetString() == "linux"));

        // The warning shows once in the build (MSBuild repeats warnings in its summary after "Build succeeded").
        string build = result.StandardOutput.Split("Build succeeded")[0];
        int warnings = build.Split("warning MAC1019").Length - 1;
        if (force.StartsWith("SDK_", StringComparison.Ordinal))
        {
            Assert.Equal(2, warnings);
            Assert.Contains($"'{force}' is an older name; it still works, but set 'DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD'", build, StringComparison.Ordinal);
            Assert.Contains($"'{size}' is an older name; it still works, but set 'DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES'", build, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(0, warnings);
        }
    }
}
