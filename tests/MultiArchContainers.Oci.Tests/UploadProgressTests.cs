namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// The inactivity limit on uploads (2 or 3 s here), against the real registry behind the project's proxy: a registry that
/// takes the whole body and never answers ends a streamed or an in-memory upload within the limit; a slow registry
/// whose reads keep coming does not, however long the upload takes.
/// </summary>
[Collection(RegistryCollection.Name)]
public class UploadProgressTests(RegistryFixture fixture)
{
    private static readonly Func<string, string?> TwoSeconds = name => name == "MULTIARCH_REGISTRY_INACTIVITY_TIMEOUT" ? "2" : null;

    private static Func<Stream, Task> Silence => async _ => await Task.Delay(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task AStreamedUploadThatGetsNoAnswerEndsAfterTheLimit()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Answer((method, path) => method == "PUT" && path.Contains("/blobs/uploads/", StringComparison.Ordinal), 10, Silence);
        using var client = new RegistryClient(proxy.Address, environment: TwoSeconds) { RetryDelays = [] };
        byte[] blob = RandomNumberGenerator.GetBytes(256 * 1024);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            client.UploadBlobAsync("progress/silent", Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal("MAC1001", error.Diagnostic.Code);
        Assert.Contains("no answer within 2 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AnInMemoryRequestThatGetsNoAnswerEndsAfterTheLimit()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Answer((method, path) => method == "PUT" && path.Contains("/manifests/", StringComparison.Ordinal), 10, Silence);
        using var client = new RegistryClient(proxy.Address, environment: TwoSeconds) { RetryDelays = [] };
        SmallImage image = SmallImage.Create("progress-manifest");
        using (var direct = new RegistryClient(fixture.Registry.Address))
        {
            await image.PushAsync(direct, "progress/manifest");
        }

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            client.PutManifestAsync("progress/manifest", "1.0", image.Manifest, MediaTypes.OciManifest, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal("MAC1001", error.Diagnostic.Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASlowUploadWhoseBytesKeepFlowingIsNotCutOff(bool chunked)
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        // About 8 s for the blob at 4 MiB a second, more than twice the limit (3 s here): far more than the socket
        // buffers hold (a few MiB on loopback), so the writes go on nearly to the end.
        proxy.ReadBodiesAt(4 * 1024 * 1024);
        // In chunks of 16 MiB, each PATCH a body held in memory that takes about 4 s: longer than the limit.
        using var client = new RegistryClient(proxy.Address, environment: name => name switch
        {
            "MULTIARCH_REGISTRY_INACTIVITY_TIMEOUT" => "3",
            "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD" when chunked => "true",
            "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES" when chunked => (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        });
        byte[] blob = RandomNumberGenerator.GetBytes(32 * 1024 * 1024);
        var clock = Stopwatch.StartNew();

        await client.UploadBlobAsync("progress/slow", Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None);

        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(4), $"the upload took {clock.Elapsed}");
        using var direct = new RegistryClient(fixture.Registry.Address);
        Assert.True(await direct.BlobExistsAsync("progress/slow", Digest.Sha256(blob), CancellationToken.None));
    }
}
