using Xunit.Abstractions;

namespace MultiArchContainers.Oci.Tests;

/// <summary>Making a 512 MiB app layer reproducible streams it: memory does not grow with the layer.</summary>
public sealed class LargeLayerRepackTests : IDisposable
{
    private const long EntrySize = 512L * 1024 * 1024;
    private readonly ITestOutputHelper _output;
    private readonly string _root = Directory.CreateTempSubdirectory("mac-repack-").FullName;

    public LargeLayerRepackTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A512MiBLayerIsRepackedWithoutHoldingItInMemory()
    {
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(_root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        string content = Path.Combine(_root, "big-entry");
        using (FileStream sparse = File.Create(content))
        {
            sparse.SetLength(EntrySize);
        }

        string layerFile = Path.Combine(_root, "layer.tar.gz");
        using (FileStream file = File.Create(layerFile))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "app/"));
            writer.WriteEntry(content, "app/big.bin");
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "app/app.dll") { DataStream = new MemoryStream("assembly"u8.ToArray()), ModificationTime = DateTimeOffset.UtcNow });
        }

        Digest layerDigest;
        using (FileStream layer = File.OpenRead(layerFile))
        {
            layerDigest = await Digest.Sha256Async(layer, CancellationToken.None);
        }

        long layerSize = new FileInfo(layerFile).Length;
        File.Move(layerFile, OciLayoutPaths.Blob(_root, layerDigest));
        byte[] config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray("sha256:" + new string('0', 64)) },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = "sdk", ["author"] = ImageRewriter.SdkHistoryAuthor }),
        }.ToJsonString());
        File.WriteAllBytes(OciLayoutPaths.Blob(_root, Digest.Sha256(config)), config);
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, config),
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = layerDigest, Size = layerSize }],
        });
        OciLayoutImage image = OciLayoutImage.FromManifest(_root, MediaTypes.OciManifest, manifest, "big");

        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        OciLayoutImage normalized = ImageRewriter.Normalize(image, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new HashSet<Digest>());
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        _output.WriteLine($"Repacking a layer with a {EntrySize >> 20} MiB file allocated {allocated >> 20} MiB in total.");
        Assert.True(allocated < 64L * 1024 * 1024, $"repacking allocated {allocated >> 20} MiB");
        Descriptor repacked = Assert.Single(normalized.Manifest.Layers);
        Assert.NotEqual(layerDigest, repacked.Digest);
        using Stream check = normalized.OpenBlob(repacked, "repacked");
        using var gunzip = new GZipStream(check, CompressionMode.Decompress);
        using var reader = new TarReader(gunzip);
        var names = new List<(string Name, long Length, DateTimeOffset Time)>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add((entry.Name, entry.Length, entry.ModificationTime));
        }

        Assert.Equal([("app/", 0L), ("app/app.dll", 8L), ("app/big.bin", EntrySize)], names.Select(n => (n.Name, n.Length)));
        Assert.All(names, n => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), n.Time));
    }
}
