namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// The value an annotation has after MSBuild evaluated the project reaches the index and the manifests byte for
/// byte on PublishMultiArch and on MergeMultiArch, '%' sequences included: nothing unescapes them a second time.
/// </summary>
[Collection(PublishCollection.Name)]
public class AnnotationFidelityTests(PublishFixture fixture, ITestOutputHelper output)
{
    // Written in the project as %25xx, so MSBuild's own evaluation leaves exactly these characters.
    private const string Evaluated = "a%3Bb%25c%20d;e=f %2 ü";
    private const string InProject = "a%253Bb%2525c%2520d;e=f %252 ü";

    [Fact]
    public async Task PercentSequencesSurvivePublishAndMerge()
    {
        using var sandbox = fixture.SandboxWith(
            $"""
            {fixture.Publishing("fidelity/app")}
            """,
            $"""
            <ContainerIndexAnnotation Include="com.example.odd" Value="{InProject}" />
            <ContainerManifestAnnotation Include="com.example.odd" Value="{InProject}" />
            """);
        string registry = fixture.Registry.Address;

        ProcessResult published = await sandbox.PublishAsync();
        output.WriteLine(published.Combined);
        Assert.True(published.ExitCode == 0, published.Combined);
        ProcessResult merged = await sandbox.DotnetAsync(["msbuild", sandbox.ProjectPath, "-nologo", "-restore", "-t:MergeMultiArch",
            $"-p:ContainerMergeSources={registry}/fidelity/app:1.0", "-p:ContainerRepository=fidelity/merged"]);
        output.WriteLine(merged.Combined);
        Assert.True(merged.ExitCode == 0, merged.Combined);

        foreach (string repository in new[] { "fidelity/app", "fidelity/merged" })
        {
            JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:1.0"))!;
            Assert.Equal(Evaluated, index["annotations"]!["com.example.odd"]!.GetValue<string>());
            foreach (JsonNode? child in index["manifests"]!.AsArray())
            {
                JsonNode manifest = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}@{child!["digest"]!.GetValue<string>()}"))!;
                Assert.Equal(Evaluated, manifest["annotations"]!["com.example.odd"]!.GetValue<string>());
            }
        }
    }
}
