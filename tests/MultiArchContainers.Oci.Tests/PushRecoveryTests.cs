namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// A push or merge that meets a registry's refusals and lost connections: the real registry behind the project's
/// proxy, which refuses, resets or answers as a hosted or hostile registry would. Each case ends with the right
/// image read back by skopeo, or with a coded error that says exactly what moved.
/// </summary>
[Collection(RegistryCollection.Name)]
public class PushRecoveryTests(RegistryFixture fixture)
{
    private static bool IsBlobPut(string method, string path) => method == "PUT" && path.Contains("/blobs/uploads/", StringComparison.Ordinal);

    private static Func<Stream, Task> Raw(string head, byte[]? body = null) => async stream =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }
    };

    private async Task<SmallImage> SourceAsync(string repository, string seed)
    {
        SmallImage image = SmallImage.WithPlatform("amd64", seed);
        using var direct = new RegistryClient(fixture.Registry.Address);
        await image.PushAsync(direct, repository, "1.0");
        return image;
    }

    [Theory]
    [InlineData("http://storage.test/upload/1", "https://registry.test/v2/app/blobs/uploads/1", false)]
    [InlineData("https://storage.test/upload/1", "https://registry.test/v2/app/blobs/uploads/1", true)]
    [InlineData("/v2/app/blobs/uploads/2", "https://registry.test/v2/app/blobs/uploads/1", true)]
    [InlineData("http://storage.test/upload/1", "http://registry.test/v2/app/blobs/uploads/1", true)]
    [InlineData("ftp://storage.test/upload/1", "http://registry.test/v2/app/blobs/uploads/1", false)]
    public void AnUploadIsNeverMovedFromHttpsToPlainHttpNorToAnotherScheme(string location, string current, bool followed)
    {
        var baseAddress = new Uri(new Uri(current).GetLeftPart(UriPartial.Authority) + "/");

        Uri Next() => BlobUploader.NextLocation(baseAddress, "registry.test", new Uri(location, UriKind.RelativeOrAbsolute), new Uri(current), HttpStatusCode.Accepted);

        if (followed)
        {
            Assert.Equal(new Uri(baseAddress, location), Next());
        }
        else
        {
            Assert.Equal("MAC1012", Assert.ThrowsAny<MultiArchException>(Next).Diagnostic.Code);
        }
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"DIGEST","size":-1,"platform":{"os":"linux","architecture":"amd64"}}""", "never negative")]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"DIGEST","size":SIZE,"platform":{"os":"linux","architecture":""}}""", "no os or no architecture")]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"DIGEST","size":SIZE,"platform":{"architecture":"amd64"}}""", "no os or no architecture")]
    public async Task AnIndexWithANegativeSizeOrABlankPlatformIsRefused(string child, string said)
    {
        SmallImage image = await SourceAsync("recover/hostile-index", "hostile-index");
        byte[] index = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[CHILD]}"""
            .Replace("CHILD", child.Replace("DIGEST", image.Digest.ToString(), StringComparison.Ordinal).Replace("SIZE", image.Manifest.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), StringComparison.Ordinal));
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer((method, path) => method == "GET" && path == "/v2/recover/hostile-index/manifests/1.0", 1,
            Raw($"HTTP/1.1 200 OK\nContent-Type: {MediaTypes.OciIndex}\nContent-Length: {index.Length}", index));
        var request = new MergeRequest { Sources = [$"{front.Address}/recover/hostile-index:1.0"], Registry = fixture.Registry.Address, Repository = "recover/hostile-index-out", Tags = ["1.0"] };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => HostileRegistryTests.MergeAsync(request, _ => { }));

        Assert.Equal("MAC1012", error.Diagnostic.Code);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/recover/hostile-index-out"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AMountThatIsNotDoneIsAnUpload(bool tokenRefused)
    {
        SmallImage image = await SourceAsync("recover/mount-source", tokenRefused ? "mount-token" : "mount-202");
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        string answer = tokenRefused
            ? $"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"http://{front.Address}/token\",service=\"test\",scope=\"repository:recover/mount-source:pull\"\nContent-Length: 0"
            : "HTTP/1.1 202 Accepted\nLocation: /v2/recover/mount-target/blobs/uploads/never-used\nContent-Length: 0";
        front.Answer((method, path) => method == "POST" && path.Contains("mount=", StringComparison.Ordinal), 10, Raw(answer));
        front.Answer((method, path) => method == "GET" && path.StartsWith("/token", StringComparison.Ordinal), 10, Raw("HTTP/1.1 403 Forbidden\nContent-Length: 0"));
        var request = new MergeRequest { Sources = [$"{front.Address}/recover/mount-source:1.0"], Registry = front.Address, Repository = "recover/mount-target", Tags = [tokenRefused ? "token" : "accepted"] };

        MergeResult? result = await HostileRegistryTests.MergeAsync(request, _ => { });

        Assert.NotNull(result?.Published);
        Assert.Contains(front.Requests, r => r.Method == "POST" && r.Path.Contains("mount=", StringComparison.Ordinal));
        Assert.Equal(tokenRefused, front.Requests.Any(r => r.Path.StartsWith("/token", StringComparison.Ordinal)));
        Assert.Contains(front.Requests, r => IsBlobPut(r.Method, r.Path) && r.ContentLength == image.Layer.Length);
        string copied = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/recover/mount-target@{image.Digest}");
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), copied);
    }

    [Fact]
    public async Task ABrokenPipeDuringAnUploadStartsTheUploadAgain()
    {
        byte[] layer = new byte[16 * 1024 * 1024];
        new Random(7).NextBytes(layer);
        SmallImage image = SmallImage.WithLayer(layer, "broken-pipe");
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.CutBodies((method, path) => IsBlobPut(method, path), 1, after: 64 * 1024);
        var retries = new List<string>();
        using var client = new RegistryClient(front.Address) { RetryDelays = [TimeSpan.FromMilliseconds(20)], OnRetry = retries.Add };

        await client.UploadBlobAsync("recover/pipe", Digest.Sha256(layer), layer.Length, () => new MemoryStream(layer), CancellationToken.None);
        await image.PushAsync(client, "recover/pipe", "1.0");

        Assert.Contains(retries, r => r.Contains("a lost connection", StringComparison.Ordinal));
        Assert.Contains(front.Requests, r => r.Status == -1);
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/recover/pipe:1.0"));
    }

    [Fact]
    public async Task AnUploadStepWaitsAsLongAsRetryAfterSays()
    {
        SmallImage image = SmallImage.Create("retry-after");
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Fail(IsBlobPut, 1, 503, retryAfter: "2");
        var retries = new List<string>();
        using var client = new RegistryClient(front.Address) { RetryDelays = [TimeSpan.FromMilliseconds(20)], OnRetry = retries.Add };
        var clock = Stopwatch.StartNew();

        await image.PushAsync(client, "recover/retry-after", "1.0");

        Assert.Contains(retries, r => r.Contains("HTTP 503", StringComparison.Ordinal) && r.Contains("in 2 s", StringComparison.Ordinal));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"the upload went on after {clock.Elapsed}");
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/recover/retry-after:1.0"));
    }

    [Fact]
    public async Task AnIndexRefusedForAMissingChildIsPushedAgainAfterTheChild()
    {
        SmallImage image = await SourceAsync("recover/gone-source", "gone-child");
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        string registry = fixture.Registry.Address;
        front.Answer((method, path) => method == "PUT" && path == "/v2/recover/gone-target/manifests/1.0", 1, async stream =>
        {
            // The registry lost the child between its push and the index (a garbage collection): delete it for real.
            using var http = new HttpClient();
            using HttpResponseMessage deleted = await http.DeleteAsync($"http://{registry}/v2/recover/gone-target/manifests/{image.Digest}");
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            byte[] body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"{{image.Digest}}"}]}""");
            await Raw($"HTTP/1.1 400 Bad Request\nContent-Type: application/json\nContent-Length: {body.Length}", body)(stream);
        });
        var log = new List<string>();
        var request = new MergeRequest { Sources = [$"{front.Address}/recover/gone-source:1.0"], Registry = front.Address, Repository = "recover/gone-target", Tags = ["1.0"] };

        MergeResult? result = await HostileRegistryTests.MergeAsync(request, log.Add);

        Assert.NotNull(result?.Published);
        Assert.Contains(log, l => l.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal) && l.Contains("pushing 1 child", StringComparison.Ordinal));
        Assert.Equal(2, front.Requests.Count(r => r.Method == "PUT" && r.Path == "/v2/recover/gone-target/manifests/1.0"));
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{registry}/recover/gone-target@{image.Digest}"));
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{registry}/recover/gone-target"));
    }

    [Fact]
    public async Task ATagThatFailsAfterOthersMovedNamesEveryTagThatMovedAndEveryOneThatDidNot()
    {
        await SourceAsync("recover/tags-source", "partly-moved");
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Fail((method, path) => method == "PUT" && path.EndsWith("/manifests/latest", StringComparison.Ordinal), 10, 400);
        var request = new MergeRequest { Sources = [$"{front.Address}/recover/tags-source:1.0"], Registry = front.Address, Repository = "recover/tags-target", Tags = ["1.0", "latest", "stable"] };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => HostileRegistryTests.MergeAsync(request, _ => { }));

        Assert.Equal("MAC1018", error.Diagnostic.Code);
        Assert.Contains("'latest'", error.Message, StringComparison.Ordinal);
        Assert.Contains("already point at the new index or image: 1.0.", error.Message, StringComparison.Ordinal);
        Assert.Contains("still point where they did: latest, stable.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1.0"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/recover/tags-target"));
    }
}
