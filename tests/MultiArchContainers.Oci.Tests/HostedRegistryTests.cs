namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// Behaviours of hosted registries that docker-registry does not have, played by the project's proxy in front of the
/// real registry: requests capped at 4 MiB, a bare 400 for a large body, a minimum chunk length, no
/// Docker-Content-Digest on manifest answers, a tags list split into pages. (A token service that wants its service
/// name exactly as the challenge gave it is the token registry of <see cref="RegistryClientTests"/>.)
/// </summary>
[Collection(RegistryCollection.Name)]
public class HostedRegistryTests(RegistryFixture fixture)
{
    private const int FourMiB = 4 * 1024 * 1024;

    private static byte[] GzipLayer(int length, int seed)
    {
        byte[] content = new byte[length];
        new Random(seed).NextBytes(content);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.NoCompression, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    private static bool IsBlobPut(string method, string path) => method == "PUT" && path.Contains("/blobs/uploads/", StringComparison.Ordinal);

    [Fact]
    public async Task ARegistryThatCapsRequestsAtFourMiBGetsNoLargerChunkByDefault()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: FourMiB);
        using var client = new RegistryClient(proxy.Address, environment: _ => null);
        byte[] layer = GzipLayer(9 * 1024 * 1024, seed: 11);
        SmallImage image = SmallImage.WithLayer(layer, "four-mib");

        await image.PushAsync(client, "hosted/four-mib", "1.0");

        Assert.Single(proxy.Requests, r => r.Status == 413);
        Assert.All(proxy.Requests.Where(r => r.Method == "PATCH"), p => Assert.InRange(p.ContentLength, 1, FourMiB));
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/hosted/four-mib:1.0"));
    }

    [Fact]
    public async Task ALargeOneRequestUploadAnswered400IsSentAgainInChunks()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Fail(IsBlobPut, 1, 400);
        using var client = new RegistryClient(proxy.Address, environment: _ => null);
        byte[] layer = GzipLayer(6 * 1024 * 1024, seed: 12);

        await client.UploadBlobAsync("hosted/bare-400", Digest.Sha256(layer), layer.Length, () => new MemoryStream(layer), CancellationToken.None);

        Assert.Equal(FourMiB, client.UploadChunkSize);
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "PATCH"));
        Assert.True(await client.BlobExistsAsync("hosted/bare-400", Digest.Sha256(layer), CancellationToken.None));
    }

    [Fact]
    public async Task ASmallBlobAnswered400IsAnError()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Fail(IsBlobPut, 1, 400);
        using var client = new RegistryClient(proxy.Address, environment: _ => null);
        byte[] blob = Encoding.UTF8.GetBytes("small blob refused");

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            client.UploadBlobAsync("hosted/small-400", Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Null(client.UploadChunkSize);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task TheRegistrysMinimumChunkLengthIsHonoured()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.RewriteHead((method, path, head) => method == "POST" && path.Contains("/blobs/uploads/", StringComparison.Ordinal) ? head + "\r\nOCI-Chunk-Min-Length: 2097152" : head);
        using var client = new RegistryClient(proxy.Address, environment: name => name switch
        {
            "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD" => "true",
            "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => "1048576",
            _ => null,
        });
        byte[] layer = GzipLayer(5 * 1024 * 1024, seed: 13);

        await client.UploadBlobAsync("hosted/min-chunk", Digest.Sha256(layer), layer.Length, () => new MemoryStream(layer), CancellationToken.None);

        List<long> patches = proxy.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentLength).ToList();
        Assert.Equal([2097152, 2097152, layer.Length - 4194304], patches);
        Assert.True(await client.BlobExistsAsync("hosted/min-chunk", Digest.Sha256(layer), CancellationToken.None));
    }

    [Fact]
    public async Task ManifestAnswersWithoutDockerContentDigestAreResolvedByTheirContent()
    {
        SmallImage image = SmallImage.WithPlatform("amd64", "no-digest-header");
        using (var direct = new RegistryClient(fixture.Registry.Address))
        {
            await image.PushAsync(direct, "hosted/no-digest-source", "1.0");
        }

        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.RewriteHead((_, path, head) => path.Contains("/manifests/", StringComparison.Ordinal)
            ? string.Join("\r\n", head.Split("\r\n").Where(l => !l.StartsWith("Docker-Content-Digest:", StringComparison.OrdinalIgnoreCase)))
            : head);
        using var client = new RegistryClient(proxy.Address);
        var request = new MergeRequest { Sources = [$"{proxy.Address}/hosted/no-digest-source:1.0"], Registry = proxy.Address, Repository = "hosted/no-digest", Tags = ["1.0"] };

        MergeResult? first = await HostileRegistryTests.MergeAsync(request, _ => { });
        int puts = proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal));
        MergeResult? again = await HostileRegistryTests.MergeAsync(request, _ => { });

        Assert.Equal(image.Digest, await client.ResolveManifestAsync("hosted/no-digest-source", "1.0", CancellationToken.None));
        Assert.Equal(first!.Published!.Descriptor.Digest, again!.Published!.Descriptor.Digest);
        Assert.Equal(puts, proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal)));
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "HEAD" && r.Status != 200 && r.Status != 404);
    }

    /// <summary>A tags page: the tags, and the Link to the next page when there is one.</summary>
    private static Func<Stream, Task> TagsPage(string repository, string[] tags, string? next) => async stream =>
    {
        byte[] body = Encoding.UTF8.GetBytes($$"""{"name":"{{repository}}","tags":[{{string.Join(",", tags.Select(t => $"\"{t}\""))}}]}""");
        string link = next is null ? string.Empty : $"Link: <{next}>; rel=\"next\"\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{link}Content-Length: {body.Length}\r\n\r\n").Concat(body).ToArray());
    };

    [Fact]
    public async Task ATagsListSplitIntoPagesIsReadWhole()
    {
        // docker-registry 2.8 does not page tags lists, so the proxy plays a registry that does (the real one answers /v2/).
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        const string list = "/v2/hosted/paged/tags/list";
        proxy.Answer((method, path) => method == "GET" && path == list, 1, TagsPage("hosted/paged", ["a1", "b2"], $"{list}?n=2&last=b2"));
        proxy.Answer((method, path) => method == "GET" && path == $"{list}?n=2&last=b2", 1, TagsPage("hosted/paged", ["c3", "d4"], $"http://{proxy.Address}{list}?n=2&last=d4"));
        proxy.Answer((method, path) => method == "GET" && path == $"{list}?n=2&last=d4", 1, TagsPage("hosted/paged", ["e5"], null));
        using var client = new RegistryClient(proxy.Address);

        IReadOnlyList<string> listed = await client.ListTagsAsync("hosted/paged", CancellationToken.None);

        Assert.Equal(["a1", "b2", "c3", "d4", "e5"], listed);
        Assert.Equal(3, proxy.Requests.Count(r => r.Path.StartsWith(list, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ATagsPageOnAnotherOriginIsRefused()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Answer((method, path) => method == "GET" && path == "/v2/hosted/elsewhere/tags/list", 1,
            TagsPage("hosted/elsewhere", ["a1"], "http://127.0.0.2:9/v2/hosted/elsewhere/tags/list?last=a1"));
        using var client = new RegistryClient(proxy.Address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.ListTagsAsync("hosted/elsewhere", CancellationToken.None));

        Assert.Equal("MAC1012", error.Diagnostic.Code);
        Assert.Contains("another origin", error.Message, StringComparison.Ordinal);
    }
}
