namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// Chunked blob uploads against the real registry, through a proxy that refuses bodies above a limit the way a
/// gateway in front of a registry does. What landed is read back with skopeo.
/// </summary>
[Collection(RegistryCollection.Name)]
public class ChunkedUploadTests(RegistryFixture fixture)
{
    private static Func<string, string?> Environment(string? force, string? size) => name => name switch
    {
        "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD" => force,
        "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => size,
        _ => null,
    };

    /// <summary>A gzip layer of <paramref name="length"/> bytes or a few more (random data does not compress).</summary>
    private static byte[] GzipLayer(int length, int seed)
    {
        var random = new Random(seed);
        byte[] content = new byte[length];
        random.NextBytes(content);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.NoCompression, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>Copies the image with skopeo and returns the layer's bytes as skopeo stored them (it checks digests).</summary>
    private async Task<byte[]> LayerAsSkopeoReadsItAsync(string repository, string tag, byte[] layer)
    {
        string folder = Directory.CreateTempSubdirectory("mac-chunked-").FullName;
        try
        {
            await Skopeo.CopyToLayoutAsync($"{fixture.Registry.Address}/{repository}:{tag}", Path.Combine(folder, "layout"), tag);
            return await File.ReadAllBytesAsync(Path.Combine(folder, "layout", "blobs", "sha256", Digest.Sha256(layer).Encoded));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ForcedChunkingSendsNoRequestAboveTheChunkSize()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: 1024);
        using var client = new RegistryClient(proxy.Address, environment: Environment("true", "1024"));
        byte[] layer = GzipLayer(10 * 1024, seed: 1);
        var image = SmallImage.WithLayer(layer, "forced");

        await image.PushAsync(client, "chunked/forced", "1.0");

        IReadOnlyList<ProxiedRequest> requests = proxy.Requests;
        Assert.DoesNotContain(requests, r => r.Status == 413);
        List<ProxiedRequest> patches = requests.Where(r => r.Method == "PATCH").ToList();
        Assert.All(patches, p => Assert.InRange(p.ContentLength, 1, 1024));
        Assert.Equal(image.Config.Length + layer.Length, patches.Sum(p => p.ContentLength));
        Assert.Equal((layer.Length + 1023) / 1024 + 1, patches.Count);
        Assert.Equal(layer, await LayerAsSkopeoReadsItAsync("chunked/forced", "1.0", layer));
    }

    [Fact]
    public async Task ARefusedOneRequestUploadIsSentAgainInChunksAndLaterBlobsGoStraightToChunks()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: 64 * 1024);
        using var client = new RegistryClient(proxy.Address, environment: Environment(force: null, size: "16384"));
        byte[] first = GzipLayer(100 * 1024, seed: 2);
        byte[] second = GzipLayer(80 * 1024, seed: 3);

        Assert.Null(client.UploadChunkSize);
        await SmallImage.WithLayer(first, "first").PushAsync(client, "chunked/refused", "first");
        int afterFirst = proxy.Requests.Count;
        await SmallImage.WithLayer(second, "second").PushAsync(client, "chunked/refused", "second");

        Assert.Equal(16384, client.UploadChunkSize);
        IReadOnlyList<ProxiedRequest> requests = proxy.Requests;
        ProxiedRequest refused = Assert.Single(requests, r => r.Status == 413);
        Assert.Equal(("PUT", (long)first.Length), (refused.Method, refused.ContentLength));
        Assert.All(requests.Where(r => r.Status != 413), r => Assert.InRange(r.ContentLength, 0, 16384));
        // The second image: its config in one PATCH, its layer in as many as the chunk size needs, no PUT with a body.
        Assert.Equal((second.Length + 16383) / 16384 + 1, requests.Skip(afterFirst).Count(r => r.Method == "PATCH"));
        Assert.DoesNotContain(requests.Skip(afterFirst), r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.ContentLength > 0);
        Assert.Equal(first, await LayerAsSkopeoReadsItAsync("chunked/refused", "first", first));
        Assert.Equal(second, await LayerAsSkopeoReadsItAsync("chunked/refused", "second", second));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("512")]
    [InlineData("-4096")]
    [InlineData("99999999999")]
    public void AChunkSizeThatIsNotAWholeNumberOfAtLeast1024BytesIsMac1009(string size)
    {
        var error = Assert.ThrowsAny<MultiArchException>(() => RegistrySettings.ChunkSettings(Environment("true", size)));

        Assert.Equal("MAC1009", error.Diagnostic.Code);
        Assert.Contains($"'{size}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", null, RegistrySettings.DefaultChunkSize)]
    [InlineData("1", "65536", 65536)]
    [InlineData("false", "65536", null)]
    [InlineData(null, null, null)]
    public void ChunkingIsOnOnlyWhenForced(string? force, string? size, int? expected)
    {
        Assert.Equal(expected, RegistrySettings.ChunkSettings(Environment(force, size)).Forced);
    }

    /// <summary>The SDK's names, its older names and this tool's old name, each as the only one set.</summary>
    [Theory]
    [InlineData("DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD", "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES", false)]
    [InlineData("SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD", "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES", true)]
    [InlineData("SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD", "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES", true)]
    public async Task EveryNameOfTheChunkingVariablesChunksAndOnlyOlderNamesWarn(string force, string size, bool deprecated)
    {
        var variables = new Dictionary<string, string> { [force] = "true", [size] = "2048" };
        Func<string, string?> environment = name => variables.GetValueOrDefault(name);
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry, maxBodyLength: 2048);
        using var client = new RegistryClient(proxy.Address, environment: environment);
        byte[] layer = GzipLayer(9 * 1024, seed: 7);

        await SmallImage.WithLayer(layer, force).PushAsync(client, "chunked/names", force.ToLowerInvariant());

        Assert.DoesNotContain(proxy.Requests, r => r.Status == 413);
        Assert.All(proxy.Requests.Where(r => r.Method == "PATCH"), p => Assert.InRange(p.ContentLength, 1, 2048));
        Assert.Equal((layer.Length + 2047) / 2048 + 1, proxy.Requests.Count(r => r.Method == "PATCH"));
        Assert.Equal(layer, await LayerAsSkopeoReadsItAsync("chunked/names", force.ToLowerInvariant(), layer));
        IReadOnlyList<Diagnostic> warnings = UploadVariables.Deprecated(environment);
        Assert.Equal(
            variables.Keys.Where(k => k.StartsWith("SDK_", StringComparison.Ordinal)).Order(),
            warnings.Select(w => w.Text.Split('\'')[1]).Order());
        Assert.All(warnings, w => Assert.Equal(("MAC1019", DiagnosticSeverity.Warning), (w.Code, w.Severity)));
        Assert.Equal(deprecated, warnings.Count > 0);
    }

    [Fact]
    public void TheCurrentNameWinsOverAnOlderOne()
    {
        Func<string, string?> environment = name => name switch
        {
            "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => "8192",
            "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => "4096",
            "SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD" => "1",
            _ => null,
        };

        Assert.Equal(8192, RegistrySettings.ChunkSettings(environment).Forced);
        var error = Assert.ThrowsAny<MultiArchException>(() => RegistrySettings.ChunkSettings(name => name == "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" ? "big" : null));
        Assert.Contains("SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES is 'big'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD=false: four blobs handed to the client at once reach the registry one
    /// after another; unset, they overlap. The proxy reads bodies slowly so that overlapping uploads are seen.
    /// </summary>
    [Theory]
    [InlineData("false", 1)]
    [InlineData("0", 1)]
    [InlineData(null, 2)]
    public async Task WithoutParallelUploadsBlobsGoOneAtATime(string? parallel, int atLeast)
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.ReadBodiesAt(512 * 1024);
        using var client = new RegistryClient(proxy.Address, environment: name => name == "DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD" ? parallel : null);
        byte[][] blobs = Enumerable.Range(20, 4).Select(seed => GzipLayer(256 * 1024, seed)).ToArray();

        await Task.WhenAll(blobs.Select(blob => Task.Run(() =>
            client.UploadBlobAsync("chunked/parallel", Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None))));

        if (atLeast == 1)
        {
            Assert.Equal(1, proxy.MostBodiesAtOnce);
        }
        else
        {
            Assert.InRange(proxy.MostBodiesAtOnce, atLeast, 4);
        }

        Assert.Equal(4, proxy.Requests.Count(r => r.ContentLength > 0 && r.Status is 201));
    }
}
