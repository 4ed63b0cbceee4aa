using System.IO.Compression;
using MultiArchContainers.Oci.Registry;
using MultiArchContainers.Testing;

namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// Chunked blob uploads against the real registry, through a proxy that refuses bodies above a limit the way a
/// gateway in front of a registry does. What landed is read back with skopeo.
/// </summary>
[Collection(RegistryCollection.Name)]
public class ChunkedUploadTests
{
    private readonly RegistryFixture _fixture;

    public ChunkedUploadTests(RegistryFixture fixture) => _fixture = fixture;

    private static Func<string, string?> Environment(string? force, string? size) => name => name switch
    {
        "SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD" => force,
        "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" => size,
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
            await Skopeo.CopyToLayoutAsync($"{_fixture.Registry.Address}/{repository}:{tag}", Path.Combine(folder, "layout"), tag);
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
        await using LimitingProxy proxy = LimitingProxy.Start(_fixture.Registry, maxBodyLength: 1024);
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
        await using LimitingProxy proxy = LimitingProxy.Start(_fixture.Registry, maxBodyLength: 64 * 1024);
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
}
