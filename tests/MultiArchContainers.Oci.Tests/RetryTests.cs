namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// Transient answers (429, 5xx) from a gateway in front of the real registry: requests are sent again, uploads start
/// again as a whole, and a registry that stays busy is an error naming the status. Results are read with skopeo.
/// </summary>
[Collection(RegistryCollection.Name)]
public class RetryTests(RegistryFixture fixture)
{
    private static readonly TimeSpan[] QuickRetries = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)];

    private static SmallImage Image(string seed, int layerSize)
    {
        byte[] layer = new byte[layerSize];
        new Random(layerSize).NextBytes(layer);
        return SmallImage.WithLayer(layer, seed);
    }

    [Fact]
    public async Task TransientAnswersAreRetriedAndAFailedUploadStartsAgain()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: long.MaxValue);
        var retries = new List<string>();
        using var client = new RegistryClient(proxy.Address) { RetryDelays = QuickRetries, OnRetry = retries.Add };
        var image = Image("retried", 4096);
        proxy.Fail((method, path) => method == "POST" && path.Contains("/blobs/uploads/", StringComparison.Ordinal), 1, 429, retryAfter: "0");
        proxy.Fail((method, path) => method == "PUT" && path.Contains("/blobs/uploads/", StringComparison.Ordinal), 1, 502);
        proxy.Fail((method, path) => method == "PUT" && path.Contains("/manifests/", StringComparison.Ordinal), 2, 503);

        await image.PushAsync(client, "retry/app", "1.0");

        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/retry/app:1.0"));
        IReadOnlyList<ProxiedRequest> requests = proxy.Requests;
        Assert.Equal([429, 502, 503, 503], requests.Where(r => r.Status >= 400).Select(r => r.Status));
        // Two blobs, one POST refused once, one upload started again after its PUT was refused: four sessions opened.
        Assert.Equal(4, requests.Count(r => r.Method == "POST"));
        Assert.Equal(3, requests.Count(r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal)));
        Assert.Equal(4, retries.Count);
        Assert.Contains(retries, m => m.StartsWith($"The registry '{proxy.Address}' answered pushing retry/app:1.0 with HTTP 503; trying again in", StringComparison.Ordinal));
        Assert.Contains(retries, m => m.Contains("with HTTP 502 (PUT retry/app/blobs/uploads/)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChunkRefusedAsBusyRestartsTheChunkedUpload()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: long.MaxValue);
        using var client = new RegistryClient(proxy.Address, environment: name => name switch
        {
            "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD" => "true",
            "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => "1024",
            _ => null,
        }) { RetryDelays = QuickRetries };
        var image = Image("chunk-retried", 5000);
        int patches = 0;
        proxy.Fail((method, _) => method == "PATCH" && Interlocked.Increment(ref patches) == 3, 1, 503);

        await image.PushAsync(client, "retry/chunked", "1.0");

        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/retry/chunked:1.0"));
        Assert.Single(proxy.Requests, r => r.Status == 503);
        Assert.Equal(3, proxy.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task ARegistryThatStaysBusyIsMac1003AfterEveryRetry()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: long.MaxValue);
        using var client = new RegistryClient(proxy.Address) { RetryDelays = QuickRetries };
        proxy.Fail((method, path) => method == "GET" && path.Contains("/manifests/", StringComparison.Ordinal), 100, 503);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("retry/busy", "1.0", CancellationToken.None));

        Assert.Equal("MAC1003", error.Diagnostic.Code);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(1 + QuickRetries.Length, proxy.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task ARefusalThatIsNotTransientIsNotRetried()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: long.MaxValue);
        using var client = new RegistryClient(proxy.Address) { RetryDelays = QuickRetries };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("retry/missing", "1.0", CancellationToken.None));

        Assert.Equal("MAC1003", error.Diagnostic.Code);
        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests, r => r.Method == "GET");
    }
}
