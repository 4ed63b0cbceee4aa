namespace MultiArchContainers.IntegrationTests;

[Collection(PublishCollection.Name)]
public class PlatformImageTests(PublishFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PublishPlatformImagePushesOneRidByDigestAndDescribesIt()
    {
        string registry = fixture.Registry.Address;
        using var sandbox = fixture.SandboxWith(
            $"<ContainerRegistry>{registry}</ContainerRegistry><ContainerImageTags>9.9</ContainerImageTags>",
            """<ContainerManifestAnnotation Include="com.example.matrix" Value="leg" />""");

        var metadata = new List<JsonNode>();
        foreach ((string rid, string repository) in new[] { ("linux-arm64", "fanout/arm"), ("linux-x64", "fanout/x64") })
        {
            string file = Path.Combine(sandbox.Folder, $"{rid}.json");
            ProcessResult result = await sandbox.DotnetAsync(["publish", sandbox.ProjectPath, "-t:PublishPlatformImage", "-nologo",
                $"-p:ContainerRuntimeIdentifier={rid}", $"-p:ContainerRepository={repository}", $"-p:ContainerMetadataFile={file}"]);
            output.WriteLine(result.Combined);
            Assert.True(result.ExitCode == 0, result.Combined);
            metadata.Add(JsonNode.Parse(await File.ReadAllTextAsync(file))!);
        }

        Assert.Equal(["linux/arm64/v8", "linux/amd64"], metadata.Select(m => m["platform"]!.GetValue<string>()));
        foreach (JsonNode m in metadata)
        {
            string repository = m["repository"]!.GetValue<string>();
            string digest = m["containerimage.digest"]!.GetValue<string>();
            JsonNode descriptor = m["containerimage.descriptor"]!;
            Assert.Equal(registry, m["registry"]!.GetValue<string>());
            Assert.Equal(digest, descriptor["digest"]!.GetValue<string>());
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", descriptor["mediaType"]!.GetValue<string>());

            string raw = await Skopeo.InspectRawAsync($"{registry}/{repository}@{digest}");
            Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
            Assert.Equal(descriptor["size"]!.GetValue<long>(), Encoding.UTF8.GetByteCount(raw));
            Assert.Equal("leg", JsonNode.Parse(raw)!["annotations"]!["com.example.matrix"]!.GetValue<string>());
            Assert.Empty(await Skopeo.ListTagsAsync($"{registry}/{repository}"));
        }

        Assert.Equal("arm64", metadata[0]["containerimage.descriptor"]!["platform"]!["architecture"]!.GetValue<string>());
        Assert.Equal("v8", metadata[0]["containerimage.descriptor"]!["platform"]!["variant"]!.GetValue<string>());
    }
}
