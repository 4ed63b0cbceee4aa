namespace MultiArchContainers.Testing;

/// <summary>
/// A small, real single-platform image: one gzip tar layer holding /etc/os-release, a config with os,
/// architecture and variant, and an OCI manifest. Fixed timestamps keep the digests stable.
/// </summary>
internal sealed class TestImage
{
    private TestImage(byte[] layer, byte[] config, byte[] manifest, Platform platform)
    {
        Layer = layer;
        Config = config;
        Manifest = manifest;
        Platform = platform;
    }

    public byte[] Layer { get; }

    public byte[] Config { get; }

    public byte[] Manifest { get; }

    public Platform Platform { get; }

    public Descriptor LayerDescriptor => Descriptor.For(MediaTypes.OciLayerGzip, Layer);

    public Descriptor ConfigDescriptor => Descriptor.For(MediaTypes.OciConfig, Config);

    /// <summary>The manifest's descriptor with its platform, as an index lists it.</summary>
    public Descriptor ManifestDescriptor => Descriptor.For(MediaTypes.OciManifest, Manifest) with { Platform = Platform };

    /// <param name="platform">What the config says.</param>
    /// <param name="note">Text that makes the layer (and so every digest) differ between images.</param>
    /// <param name="writeVariant">Whether the config records the variant (the .NET SDK's images leave it out).</param>
    public static TestImage Create(Platform platform, string note = "", bool writeVariant = true)
    {
        (byte[] layer, Digest diffId) = BuildLayer($"NAME=multiarch-test-base\nPLATFORM={platform}\nNOTE={note}\n");
        var config = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["created"] = "2024-01-01T00:00:00Z",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["WorkingDir"] = "/",
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId.ToString()) },
            ["history"] = new JsonArray(new JsonObject { ["created"] = "2024-01-01T00:00:00Z", ["created_by"] = "multiarch test image" }),
        };
        if (platform.OsVersion is not null)
        {
            config["os.version"] = platform.OsVersion;
        }

        if (writeVariant && platform.Variant is not null)
        {
            config["variant"] = platform.Variant;
        }

        byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, configBytes),
            Layers = [Descriptor.For(MediaTypes.OciLayerGzip, layer)],
        });
        return new TestImage(layer, configBytes, manifest, platform);
    }

    /// <summary>
    /// Writes the image as an OCI image-layout tarball the way the .NET SDK does for ContainerArchiveOutputPath:
    /// index.json names the one manifest once per tag.
    /// </summary>
    public void WriteLayoutArchive(string path, params string[] tags)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["oci-layout"] = Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}"""),
        };
        foreach (byte[] blob in new[] { Layer, Config, Manifest })
        {
            entries[$"blobs/sha256/{Digest.Sha256(blob).Encoded}"] = blob;
        }

        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = (tags.Length == 0 ? ["latest"] : tags).Select(tag => Descriptor.For(MediaTypes.OciManifest, Manifest) with
            {
                Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                Platform = new Platform(),
            }).ToList(),
        };
        entries["index.json"] = OciJson.Serialize(index);

        using FileStream file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        foreach ((string name, byte[] content) in entries)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
    }

    private static (byte[] Layer, Digest DiffId) BuildLayer(string osRelease)
    {
        var tar = new MemoryStream();
        // GNU headers with fixed times: PAX headers would carry the writing process's id.
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            var fixedTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "etc/") { ModificationTime = fixedTime, AccessTime = fixedTime, ChangeTime = fixedTime, Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "etc/os-release")
            {
                ModificationTime = fixedTime,
                AccessTime = fixedTime,
                ChangeTime = fixedTime,
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(osRelease)),
            });
        }

        byte[] uncompressed = tar.ToArray();
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(uncompressed);
        }

        return (gz.ToArray(), Digest.Sha256(uncompressed));
    }
}
