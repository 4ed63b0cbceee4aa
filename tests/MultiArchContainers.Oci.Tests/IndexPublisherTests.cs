namespace MultiArchContainers.Oci.Tests;

/// <summary>The rule "every child present before any tag moves", on an in-memory registry (the real one is in RegistryClientTests).</summary>
public class IndexPublisherTests
{
    private static (PlatformImage Image, byte[] Manifest) Image(string seed, string architecture)
    {
        byte[] manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","seed":"{{seed}}"}""");
        var descriptor = Descriptor.For(MediaTypes.OciManifest, manifest) with { Platform = new Platform { Os = "linux", Architecture = architecture } };
        return (new PlatformImage("linux-" + architecture, descriptor), manifest);
    }

    [Fact]
    public async Task AMissingChildIsMac1005AndNoTagIsWritten()
    {
        var registry = new InMemoryRegistry();
        var (present, bytes) = Image("a", "amd64");
        var (missing, _) = Image("b", "arm64");
        registry.Add("team/app", bytes, MediaTypes.OciManifest);
        ImageIndex index = IndexCombiner.Combine([present, missing], new CombineOptions());

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            new IndexPublisher(registry, _ => { }) { TagPlatforms = true }.PublishAsync("team/app", [present, missing], index, ["1.0", "latest"], CancellationToken.None));

        Assert.Equal("MAC1005", error.Diagnostic.Code);
        Assert.DoesNotContain(registry.Calls, c => c.StartsWith("PUT", StringComparison.Ordinal));
        Assert.Empty(registry.Tags("team/app"));
    }

    [Fact]
    public async Task EveryChildIsConfirmedBeforeThePlatformTagsAndTheIndexTags()
    {
        var registry = new InMemoryRegistry();
        var images = new[] { Image("a", "amd64"), Image("b", "arm64") };
        foreach (var (_, bytes) in images)
        {
            registry.Add("team/app", bytes, MediaTypes.OciManifest);
        }

        ImageIndex index = IndexCombiner.Combine(images.Select(i => i.Image).ToList(), new CombineOptions());
        PublishedIndex published = await new IndexPublisher(registry, _ => { }) { TagPlatforms = true }
            .PublishAsync("team/app", images.Select(i => i.Image).ToList(), index, ["1.0"], CancellationToken.None);

        int lastCheck = registry.Calls.FindLastIndex(c => c.StartsWith("HEAD sha256:", StringComparison.Ordinal));
        int firstPut = registry.Calls.FindIndex(c => c.StartsWith("PUT", StringComparison.Ordinal));
        Assert.True(lastCheck < firstPut, string.Join(", ", registry.Calls));
        Assert.Equal(["PUT 1.0-linux-amd64", "PUT 1.0-linux-arm64", "PUT 1.0"], registry.Calls.Where(c => c.StartsWith("PUT", StringComparison.Ordinal)));
        Assert.Equal(["1.0", "1.0-linux-amd64", "1.0-linux-arm64"], registry.Tags("team/app"));
        Assert.Equal(["memory.example/team/app:1.0"], published.Names);
    }

    [Fact]
    public async Task ATagThatAlreadyPointsAtTheIndexIsNotPushedAgain()
    {
        var registry = new InMemoryRegistry();
        var (image, bytes) = Image("a", "amd64");
        registry.Add("team/app", bytes, MediaTypes.OciManifest);
        ImageIndex index = IndexCombiner.Combine([image], new CombineOptions());
        var publisher = new IndexPublisher(registry, _ => { });
        await publisher.PublishAsync("team/app", [image], index, ["1.0", "latest"], CancellationToken.None);
        registry.Calls.Clear();

        await publisher.PublishAsync("team/app", [image], index, ["1.0", "latest", "new"], CancellationToken.None);

        Assert.Equal(["PUT new"], registry.Calls.Where(c => c.StartsWith("PUT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AChildOfAnotherSizeThanItsDescriptorIsMac1014AndNoTagMoves()
    {
        var registry = new InMemoryRegistry();
        var (image, bytes) = Image("a", "amd64");
        registry.Add("team/app", bytes, MediaTypes.OciManifest);
        PlatformImage lying = image with { Manifest = image.Manifest with { Size = image.Manifest.Size + 1 } };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            new IndexPublisher(registry, _ => { }).PublishAsync("team/app", [lying], IndexCombiner.Combine([lying], new CombineOptions()), ["1.0"], CancellationToken.None));

        Assert.Equal("MAC1014", error.Diagnostic.Code);
        Assert.Empty(registry.Tags("team/app"));
    }

    [Fact]
    public async Task TheCheckBeforeTheFirstTagRunsAfterEveryOtherCheckAndBeforeAnyTagMoves()
    {
        var registry = new InMemoryRegistry();
        var images = new[] { Image("a", "amd64"), Image("b", "arm64") };
        foreach (var (_, bytes) in images)
        {
            registry.Add("team/app", bytes, MediaTypes.OciManifest);
        }

        ImageIndex index = IndexCombiner.Combine(images.Select(i => i.Image).ToList(), new CombineOptions());
        List<string>? seenAtCheck = null;
        var publisher = new IndexPublisher(registry, _ => { }) { TagPlatforms = true };
        byte[] content = OciJson.Serialize(index);

        // A check that answers no: nothing moves and there is no result.
        Assert.Null(await publisher.PublishIfAsync(
            "team/app", images.Select(i => i.Image).ToList(), content, MediaTypes.OciIndex, ["1.0", "latest"], _ => Task.FromResult(false), CancellationToken.None));
        Assert.DoesNotContain(registry.Calls, c => c.StartsWith("PUT", StringComparison.Ordinal));

        registry.Calls.Clear();
        PublishedIndex? published = await publisher.PublishIfAsync(
            "team/app", images.Select(i => i.Image).ToList(), content, MediaTypes.OciIndex, ["1.0", "latest"],
            _ =>
            {
                seenAtCheck = [.. registry.Calls];
                return Task.FromResult(true);
            },
            CancellationToken.None);

        Assert.NotNull(published);
        Assert.Equal(content, published.Content);
        Assert.NotNull(seenAtCheck);
        Assert.DoesNotContain(seenAtCheck, c => c.StartsWith("PUT", StringComparison.Ordinal));
        Assert.Equal(["HEAD 1.0-linux-amd64", "HEAD latest-linux-amd64", "HEAD 1.0-linux-arm64", "HEAD latest-linux-arm64", "HEAD 1.0", "HEAD latest"],
            seenAtCheck.Where(c => c.StartsWith("HEAD", StringComparison.Ordinal) && !c.StartsWith("HEAD sha256:", StringComparison.Ordinal)));
        Assert.Equal(seenAtCheck.Count, registry.Calls.FindIndex(c => c.StartsWith("PUT", StringComparison.Ordinal)));
    }
}
