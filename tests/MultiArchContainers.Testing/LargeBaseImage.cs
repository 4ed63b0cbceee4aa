namespace MultiArchContainers.Testing;

/// <summary>
/// A base image of real size for the benches: per platform, layers of incompressible content (a seeded random stream,
/// so every run makes the same bytes) adding up to about <c>megabytes</c>, and a config with a history entry per layer,
/// as real base images have, or none at all, as some image builders write.
/// </summary>
internal static class LargeBaseImage
{
    /// <summary>The share of the size each layer gets, largest first, like an OS layer, a runtime and small tools.</summary>
    private static readonly double[] LayerShares = [0.5, 0.3, 0.15, 0.05];

    public static async Task<Digest> SeedAsync(string registry, string repository, string tag, int megabytes, bool history)
    {
        using var client = new RegistryClient(registry);
        var manifests = new List<Descriptor>();
        foreach (Platform platform in BaseImageSeeder.DefaultPlatforms)
        {
            string folder = Directory.CreateTempSubdirectory("mac-large-base-").FullName;
            try
            {
                var layers = new List<(Descriptor Descriptor, string DiffId, string Path)>();
                for (int i = 0; i < LayerShares.Length; i++)
                {
                    string path = Path.Combine(folder, $"layer{i}.tar.gz");
                    string diffId = WriteLayer(path, $"{platform}/{i}", (long)(megabytes * LayerShares[i] * 1024 * 1024));
                    Digest digest;
                    await using (FileStream read = File.OpenRead(path))
                    {
                        digest = await Digest.Sha256Async(read, CancellationToken.None);
                    }

                    layers.Add((new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest, Size = new FileInfo(path).Length }, diffId, path));
                }

                var config = new JsonObject
                {
                    ["architecture"] = platform.Architecture,
                    ["os"] = platform.Os,
                    ["variant"] = platform.Variant,
                    ["created"] = "2024-01-01T00:00:00Z",
                    ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ["WorkingDir"] = "/" },
                    ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. layers.Select(l => (JsonNode)l.DiffId)]) },
                };
                if (history)
                {
                    config["history"] = new JsonArray([.. layers.Select((_, i) => (JsonNode)new JsonObject { ["created"] = "2024-01-01T00:00:00Z", ["created_by"] = $"layer {i}" })]);
                }

                byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
                foreach ((Descriptor descriptor, _, string path) in layers)
                {
                    if (!await client.BlobExistsAsync(repository, descriptor.Digest, CancellationToken.None))
                    {
                        await client.UploadBlobAsync(repository, descriptor.Digest, descriptor.Size, () => File.OpenRead(path), CancellationToken.None);
                    }
                }

                var configDescriptor = Descriptor.For(MediaTypes.OciConfig, configBytes);
                await client.UploadBlobAsync(repository, configDescriptor.Digest, configBytes.Length, () => new MemoryStream(configBytes), CancellationToken.None);
                byte[] manifest = OciJson.Serialize(new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = [.. layers.Select(l => l.Descriptor)] });
                await client.PutManifestAsync(repository, Digest.Sha256(manifest).ToString(), manifest, MediaTypes.OciManifest, CancellationToken.None);
                manifests.Add(Descriptor.For(MediaTypes.OciManifest, manifest) with { Platform = platform });
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        byte[] index = OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests });
        return await client.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex, CancellationToken.None);
    }

    /// <summary>Writes a gzip tar layer holding one file of <paramref name="bytes"/> seeded-random bytes; returns its diff_id.</summary>
    private static string WriteLayer(string path, string seed, long bytes)
    {
        using var tarHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (FileStream file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var hashed = new HashingWriteStream(gzip, tarHash))
        using (var tar = new TarWriter(hashed, TarEntryFormat.Gnu, leaveOpen: true))
        {
            var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(seed))));
            byte[] content = new byte[bytes];
            random.NextBytes(content);
            string name = "opt/base/" + seed.Replace('/', '-') + ".bin";
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "opt/base/") { ModificationTime = time, Mode = (UnixFileMode)0b111_101_101 });
            tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { ModificationTime = time, Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(content) });
        }

        return "sha256:" + Convert.ToHexStringLower(tarHash.GetHashAndReset());
    }
}
