namespace MultiArchContainers.Oci.Tests;

/// <summary>A 512 MiB layer copied between two real registries must stream: memory use stays far below its size.</summary>
[Collection(RegistryCollection.Name)]
public class LargeLayerCopyTests(RegistryFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const long LayerSize = 512L * 1024 * 1024;

    /// <summary>Deterministic pseudo-random bytes, produced as they are read, so the test never holds the layer either.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private ulong _state = 0x9E3779B97F4A7C15;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            for (int i = 0; i < n; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 7;
                _state ^= _state << 17;
                buffer[offset + i] = (byte)_state;
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task CopyAcrossRegistriesStreamsA512MiBLayer()
    {
        using var source = new RegistryClient(fixture.Registry.Address);
        Digest layerDigest = await Digest.Sha256Async(new GeneratedStream(LayerSize), CancellationToken.None);
        await source.UploadBlobAsync("big/src", layerDigest, LayerSize, () => new GeneratedStream(LayerSize), CancellationToken.None);
        byte[] config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        await source.UploadBlobAsync("big/src", Digest.Sha256(config), config.Length, () => new MemoryStream(config), CancellationToken.None);
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, config),
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = layerDigest, Size = LayerSize }],
        });
        await source.PutManifestAsync("big/src", Digest.Sha256(manifest).ToString(), manifest, MediaTypes.OciManifest, CancellationToken.None);

        using var target = new RegistryClient(fixture.AuthRegistry.Address, FixedCredentialSource.TestUser);
        var entry = new MergeEntry("big", fixture.Registry.Address, "big/src", Descriptor.For(MediaTypes.OciManifest, manifest) with { Platform = new Platform { Os = "linux", Architecture = "amd64" } }, "linux/amd64");
        var copier = new ImageCopier(registry => registry == fixture.Registry.Address ? source : target, target, "big/dst");

        GC.Collect();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await copier.EnsureAsync(entry, manifest, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        output.WriteLine($"Copying {LayerSize >> 20} MiB across registries allocated {allocated >> 20} MiB in total.");
        Assert.True(allocated < 64L * 1024 * 1024, $"copying a 512 MiB layer allocated {allocated / (1024 * 1024)} MiB");
        Assert.True(await target.BlobExistsAsync("big/dst", layerDigest, CancellationToken.None));
        Assert.Equal(manifest.Length, await target.ManifestSizeAsync("big/dst", Digest.Sha256(manifest), CancellationToken.None));
    }
}
