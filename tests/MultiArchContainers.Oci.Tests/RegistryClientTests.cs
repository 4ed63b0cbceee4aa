using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Tests;

[Collection(RegistryCollection.Name)]
public class RegistryClientTests(RegistryFixture fixture)
{
    [Fact]
    public async Task PushesByDigestWithoutATagAndSkopeoReadsTheSameBytes()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        var image = SmallImage.Create(nameof(PushesByDigestWithoutATagAndSkopeoReadsTheSameBytes));
        Digest digest = Digest.Sha256(image.Manifest);

        Assert.Null(await client.ManifestSizeAsync("bydigest/app", digest, CancellationToken.None));
        Assert.Null(await client.ResolveManifestAsync("bydigest/app", "1.0", CancellationToken.None));
        await image.PushAsync(client, "bydigest/app");

        Assert.Equal(image.Manifest.Length, await client.ManifestSizeAsync("bydigest/app", digest, CancellationToken.None));
        await image.PushAsync(client, "bydigest/tagged", "1.0");
        Assert.Equal(digest, await client.ResolveManifestAsync("bydigest/tagged", "1.0", CancellationToken.None));
        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/bydigest/app@{digest}");
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), raw);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/bydigest/app"));
    }

    [Fact]
    public async Task MountsABlobFromAnotherRepository()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        byte[] blob = Encoding.UTF8.GetBytes("shared base layer " + Guid.NewGuid());
        Digest digest = Digest.Sha256(blob);
        await client.UploadBlobAsync("mount/source", digest, blob.Length, () => new MemoryStream(blob), CancellationToken.None);

        Assert.False(await client.BlobExistsAsync("mount/target", digest, CancellationToken.None));
        Assert.True(await client.TryMountBlobAsync("mount/target", digest, "mount/source", CancellationToken.None));
        Assert.True(await client.BlobExistsAsync("mount/target", digest, CancellationToken.None));
        Assert.Equal(blob, await client.GetBlobAsync("mount/target", digest, CancellationToken.None));
    }

    [Fact]
    public async Task MountOfAnUnknownBlobReportsFalse()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        Digest unknown = Digest.Sha256(Encoding.UTF8.GetBytes("never uploaded " + Guid.NewGuid()));

        Assert.False(await client.TryMountBlobAsync("mount/target2", unknown, "mount/source", CancellationToken.None));
    }

    [Fact]
    public async Task GetManifestByTagVerifiesAndReturnsMediaType()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        var image = SmallImage.Create(nameof(GetManifestByTagVerifiesAndReturnsMediaType));
        await image.PushAsync(client, "get/app");
        await client.PutManifestAsync("get/app", "v1", image.Manifest, MediaTypes.OciManifest, CancellationToken.None);

        ManifestContent read = await client.GetManifestAsync("get/app", "v1", CancellationToken.None);

        Assert.Equal(image.Manifest, read.Content);
        Assert.Equal(MediaTypes.OciManifest, read.MediaType);
        Assert.Equal(Digest.Sha256(image.Manifest), read.Digest);
    }

    [Fact]
    public async Task IndexPublisherPushesUnderEveryTagOnlyWhenChildrenArePresent()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        var present = SmallImage.Create("present");
        await present.PushAsync(client, "index/app");
        var presentImage = new PlatformImage("linux-x64", Descriptor.For(MediaTypes.OciManifest, present.Manifest) with
        {
            Platform = new Platform { Os = "linux", Architecture = "amd64" },
        });
        var missingImage = new PlatformImage("linux-arm64", Descriptor.For(MediaTypes.OciManifest, SmallImage.Create("missing").Manifest) with
        {
            Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
        });
        var publisher = new IndexPublisher(client, _ => { });
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["com.example.k"] = "v: ;=&'ü" };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => publisher.PublishAsync(
            "index/app",
            [presentImage, missingImage],
            IndexCombiner.Combine([presentImage, missingImage], new CombineOptions { IndexAnnotations = annotations }),
            ["1.0", "latest"],
            CancellationToken.None));
        Assert.Equal("MAC1005", error.Diagnostic.Code);
        Assert.Contains("linux/arm64/v8", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/index/app"));

        PublishedIndex published = await publisher.PublishAsync(
            "index/app",
            [presentImage],
            IndexCombiner.Combine([presentImage], new CombineOptions { IndexAnnotations = annotations }),
            ["1.0", "latest"],
            CancellationToken.None);

        Assert.Equal(["1.0", "latest"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/index/app"));
        foreach (string tag in new[] { "1.0", "latest" })
        {
            string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/index/app:{tag}");
            Assert.Equal(published.Descriptor.Digest, Digest.Sha256(Encoding.UTF8.GetBytes(raw)));
            using JsonDocument json = JsonDocument.Parse(raw);
            Assert.Equal(MediaTypes.OciIndex, json.RootElement.GetProperty("mediaType").GetString());
            Assert.Equal("v: ;=&'ü", json.RootElement.GetProperty("annotations").GetProperty("com.example.k").GetString());
        }
    }

    [Fact]
    public async Task PlatformTagsNameEachImageOnlyWhenAskedAndEveryOneIsValid()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        var x64 = SmallImage.Create("platform-tags-x64");
        var arm = SmallImage.Create("platform-tags-arm64");
        await x64.PushAsync(client, "tagged/app");
        await arm.PushAsync(client, "tagged/app");
        var images = new List<PlatformImage>
        {
            new("linux-x64", Descriptor.For(MediaTypes.OciManifest, x64.Manifest) with { Platform = new Platform { Os = "linux", Architecture = "amd64" } }),
            new(string.Empty, Descriptor.For(MediaTypes.OciManifest, arm.Manifest) with { Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" } }),
        };
        ImageIndex index = IndexCombiner.Combine(images, new CombineOptions());

        // A tag that is valid alone but too long once the RID is added: refused before anything moves.
        string longTag = new('t', 120);
        var tagging = new IndexPublisher(client, _ => { }) { TagPlatforms = true };
        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => tagging.PublishAsync("tagged/app", images, index, [longTag], CancellationToken.None));
        Assert.Equal("MAC2010", error.Diagnostic.Code);
        Assert.Contains($"'{longTag}-linux-x64'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/tagged/app"));

        await new IndexPublisher(client, _ => { }).PublishAsync("tagged/app", images, index, ["0.9"], CancellationToken.None);
        Assert.Equal(["0.9"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/tagged/app"));

        PublishedIndex published = await tagging.PublishAsync("tagged/app", images, index, ["1.0", "latest"], CancellationToken.None);

        Assert.Equal(
            ["0.9", "1.0", "1.0-linux-arm64-v8", "1.0-linux-x64", "latest", "latest-linux-arm64-v8", "latest-linux-x64"],
            await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/tagged/app"));
        Assert.Equal(Encoding.UTF8.GetString(x64.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/tagged/app:latest-linux-x64"));
        Assert.Equal(Encoding.UTF8.GetString(arm.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/tagged/app:1.0-linux-arm64-v8"));
        JsonNode metadata = JsonNode.Parse(MetadataFile.Serialize(MetadataDocument.ForIndex(published)))!;
        Assert.Equal(["1.0-linux-x64", "latest-linux-x64"], metadata["platforms"]![0]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task UnreachableRegistryIsMac1001NamingTheRegistry()
    {
        string address = $"127.0.0.1:{RegistryProcess.FreePort()}";
        using var client = new RegistryClient(address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal("MAC1001", error.Diagnostic.Code);
        Assert.Contains($"'{address}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasicAuthWithTheRightCredentialsPushes()
    {
        using var client = new RegistryClient(fixture.AuthRegistry.Address, FixedCredentialSource.TestUser);

        await client.PingAsync(CancellationToken.None);
        SmallImage image = SmallImage.Create("auth");
        await image.PushAsync(client, "auth/app", "1.0");

        string credentials = $"{TestCredentials.User}:{TestCredentials.Password}";
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.AuthRegistry.Address}/auth/app:1.0", credentials));
    }

    [Fact]
    public async Task BearerTokenAuthPushesMountsAndReads()
    {
        var credentials = FixedCredentialSource.TestUser;
        using var client = new RegistryClient(fixture.TokenRegistry.Address, credentials);
        var image = SmallImage.Create("bearer");
        int before = fixture.TokenRegistry.TokenServer!.TokensIssued;

        await client.PingAsync(CancellationToken.None);
        await image.PushAsync(client, "token/app");
        await client.PutManifestAsync("token/app", "v1", image.Manifest, MediaTypes.OciManifest, CancellationToken.None);
        Assert.True(await client.TryMountBlobAsync("token/other", Digest.Sha256(image.Layer), "token/app", CancellationToken.None));

        Assert.True(fixture.TokenRegistry.TokenServer.TokensIssued > before);
        Assert.Equal(image.Manifest, (await client.GetManifestAsync("token/app", "v1", CancellationToken.None)).Content);
        Assert.Equal(["v1"], await Skopeo.ListTagsAsync($"{fixture.TokenRegistry.Address}/token/app", TestCredentials.Pair));
    }

    [Fact]
    public async Task TokenServiceRefusalIsMac1007NamingTheRegistry()
    {
        using var client = new RegistryClient(fixture.TokenRegistry.Address, new FixedCredentialSource(new RegistryCredential(TestCredentials.User, "not-the-Pa55")));

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal("MAC1007", error.Diagnostic.Code);
        Assert.Contains($"'{fixture.TokenRegistry.Address}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-Pa55", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RefusedCredentialsAreMac1002WithoutTheSecret(bool withWrongPassword)
    {
        RegistryCredential? credential = withWrongPassword ? new RegistryCredential(TestCredentials.User, "wrong-Pa55word") : null;
        using var client = new RegistryClient(fixture.AuthRegistry.Address, new FixedCredentialSource(credential));

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal("MAC1002", error.Diagnostic.Code);
        Assert.Contains($"'{fixture.AuthRegistry.Address}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55word", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestCredentials.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerConfigCredentialsAreFound()
    {
        string folder = Directory.CreateTempSubdirectory("mac-dockercfg-").FullName;
        try
        {
            string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestCredentials.User}:{TestCredentials.Password}"));
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), "{\"auths\":{\"http://" + fixture.AuthRegistry.Address + "\":{\"auth\":\"" + auth + "\"}}}");
            var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = folder };
            using var client = new RegistryClient(fixture.AuthRegistry.Address, environment: name => environment.GetValueOrDefault(name));

            await client.PingAsync(CancellationToken.None);
            SmallImage image = SmallImage.Create("docker-config");
            await image.PushAsync(client, "dockercfg/app", "1.0");
            string credentials = $"{TestCredentials.User}:{TestCredentials.Password}";
            Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.AuthRegistry.Address}/dockercfg/app:1.0", credentials));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
