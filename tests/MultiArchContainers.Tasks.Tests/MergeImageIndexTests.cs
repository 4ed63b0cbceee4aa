using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks.Tests;

[Collection(TaskRegistryCollection.Name)]
public class MergeImageIndexTests(TaskRegistryFixture fixture)
{
    /// <summary>A merge into the fixture's registry of <paramref name="sources"/> (the seeded base image when none).</summary>
    private MergeImageIndex Merge(TestBuildEngine engine, string repository, string tag, params string[] sources) => new()
    {
        BuildEngine = engine,
        Sources = sources.Length > 0 ? sources : [$"{fixture.Registry.Address}/{TaskRegistryFixture.BaseRepository}:10.0"],
        Registry = fixture.Registry.Address,
        Repository = repository,
        Tags = [tag],
    };

    [Fact]
    public async Task AttestationsAreKeptAndFollowTheirImagesNewDigest()
    {
        string registry = fixture.Registry.Address;
        using var client = new RegistryClient(registry);
        TestImage image = TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "attested");
        TestImage attestation = TestImage.Create(new Platform { Os = "unknown", Architecture = "unknown" }, "in-toto");
        await BaseImageSeeder.PushAsync(client, "att/src", image);
        await BaseImageSeeder.PushAsync(client, "att/src", attestation);
        string imageDigest = image.ManifestDescriptor.Digest.ToString();
        var source = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                image.ManifestDescriptor,
                attestation.ManifestDescriptor with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        [Descriptor.ReferenceDigestKey] = imageDigest,
                        ["vnd.docker.reference.type"] = "attestation-manifest",
                    },
                },
            ],
        };
        await client.PutManifestAsync("att/src", "1", OciJson.Serialize(source), MediaTypes.OciIndex, CancellationToken.None);
        var annotation = new TaskItem("com.example.merged");
        annotation.SetMetadata("Value", "changes the image digest");
        var engine = new TestBuildEngine();

        MergeImageIndex merge = Merge(engine, "att/dst", "1", $"{registry}/att/src:1");
        merge.ManifestAnnotations = [annotation];

        Assert.True(merge.Execute(), engine.Log);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/att/dst:1"))!;
        JsonArray entries = index["manifests"]!.AsArray();
        Assert.Equal(2, entries.Count);
        string newImageDigest = entries[0]!["digest"]!.GetValue<string>();
        Assert.NotEqual(imageDigest, newImageDigest);
        Assert.Equal("unknown", entries[1]!["platform"]!["os"]!.GetValue<string>());
        Assert.Equal(newImageDigest, entries[1]!["annotations"]![Descriptor.ReferenceDigestKey]!.GetValue<string>());
        Assert.Equal("attestation-manifest", entries[1]!["annotations"]!["vnd.docker.reference.type"]!.GetValue<string>());
        foreach (JsonNode? entry in entries)
        {
            await Skopeo.InspectRawAsync($"{registry}/att/dst@{entry!["digest"]!.GetValue<string>()}");
        }

        JsonNode merged = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/att/dst@{newImageDigest}"))!;
        Assert.Equal("changes the image digest", merged["annotations"]!["com.example.merged"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOciArchiveIsAMergeSource()
    {
        string registry = fixture.Registry.Address;
        string folder = Directory.CreateTempSubdirectory("mac-merge-archive-").FullName;
        try
        {
            TestImage arm = TestImage.Create(BaseImageSeeder.DefaultPlatforms[1], "from archive");
            string archive = Path.Combine(folder, "arm.tar");
            arm.WriteLayoutArchive(archive, "1.0", "latest");
            var engine = new TestBuildEngine();

            Assert.True(Merge(engine, "archive/dst", "1", archive).Execute(), engine.Log);

            JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/archive/dst:1"))!;
            JsonNode entry = Assert.Single(index["manifests"]!.AsArray())!;
            Assert.Equal(arm.ManifestDescriptor.Digest.ToString(), entry["digest"]!.GetValue<string>());
            Assert.Equal("v8", entry["platform"]!["variant"]!.GetValue<string>());
            JsonNode config = await Skopeo.InspectConfigAsync($"{registry}/archive/dst:1", "arm64", "v8");
            Assert.Equal("arm64", config["architecture"]!.GetValue<string>());

            var wrongTag = new TestBuildEngine();
            Assert.False(Merge(wrongTag, "archive/none", "1", archive + ":nope").Execute());
            Assert.Equal(["MAC2019"], wrongTag.ErrorCodes);
            Assert.Contains("1.0, latest", wrongTag.Errors[0].Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task PlatformFilterKeepsOnlyTheNamedPlatformsAndTheirAttestations()
    {
        string registry = fixture.Registry.Address;
        var engine = new TestBuildEngine();

        MergeImageIndex merge = Merge(engine, "filter/dst", "arm");
        merge.Platforms = ["linux/arm64"];

        Assert.True(merge.Execute(), engine.Log);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/filter/dst:arm"))!;
        Assert.Equal(["arm64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("linux/s390x", "MAC2022")]
    [InlineData("s390x", "MAC2010")]
    public async Task BadPlatformFiltersAreCodedErrors(string filter, string code)
    {
        var engine = new TestBuildEngine();

        MergeImageIndex merge = Merge(engine, "filter/none", "x");
        merge.Platforms = [filter];
        Assert.False(merge.Execute());

        Assert.Equal([code], engine.ErrorCodes);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/filter/none"));
    }

    [Theory]
    [InlineData("no-registry/app:1", "MAC2019")]
    [InlineData("/tmp/does-not-exist-metadata.json", "MAC2019")]
    public void BadSourcesAreCodedErrors(string source, string code)
    {
        var engine = new TestBuildEngine();

        Assert.False(Merge(engine, "bad/src", "x", source).Execute());

        Assert.Equal([code], engine.ErrorCodes);
        Assert.Contains(source, engine.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("merge/target", "1.0\n")]
    [InlineData("merge/target", "../../v2/_catalog")]
    [InlineData("merge/../target", "1.0")]
    [InlineData("Merge/Target", "1.0")]
    public async Task TagsAndRepositoriesThatCannotBeInAUrlAreMac2010BeforeAnythingIsRead(string repository, string tag)
    {
        var engine = new TestBuildEngine();

        Assert.False(Merge(engine, repository, tag).Execute());

        Assert.Equal(["MAC2010"], engine.ErrorCodes);
        Assert.DoesNotContain("merge/target", await RegistryCatalog.RepositoriesAsync(fixture.Registry.Address));
    }
}
