namespace MultiArchContainers.Oci.Tests;

public sealed class ImageRewriterTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly string _root = Directory.CreateTempSubdirectory("mac-rewrite-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A layout shaped like the .NET SDK's output: a base layer, then an app layer stamped with <paramref name="buildTime"/>.</summary>
    private OciLayoutImage SdkLikeImage(string folder, DateTimeOffset buildTime, bool reverseOrder, bool baseWithoutHistory = false)
    {
        string root = Path.Combine(_root, folder);
        byte[] baseLayer = Gzip(Tar(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), false, ("etc/os-release", "base")));
        byte[] appTar = Tar(buildTime, reverseOrder, ("app/app.dll", "assembly"), ("app/app.runtimeconfig.json", "{}"));
        byte[] appLayer = Gzip(appTar);
        var config = new JsonObject
        {
            ["architecture"] = "arm64",
            ["os"] = "linux",
            ["created"] = buildTime.ToString("o"),
            ["config"] = new JsonObject { ["Labels"] = new JsonObject { ["org.opencontainers.image.created"] = buildTime.ToString("o"), ["com.example.keep"] = "k" } },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(Digest.Sha256(Ungzip(baseLayer)).ToString(), Digest.Sha256(appTar).ToString()) },
            // A base image without history: the SDK writes an entry of its own for the base layer too.
            ["history"] = new JsonArray(
                baseWithoutHistory
                    ? new JsonObject { ["created"] = buildTime.ToString("o"), ["created_by"] = "sdk", ["author"] = ImageRewriter.SdkHistoryAuthor }
                    : new JsonObject { ["created"] = "2024-01-01T00:00:00Z", ["created_by"] = "base" },
                new JsonObject { ["created"] = buildTime.ToString("o"), ["created_by"] = "sdk", ["author"] = ImageRewriter.SdkHistoryAuthor }),
            ["com.example.unknown"] = new JsonObject { ["kept"] = true },
        };
        byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        foreach (byte[] blob in new[] { baseLayer, appLayer, configBytes })
        {
            File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", Digest.Sha256(blob).Encoded), blob);
        }

        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, configBytes),
            Layers = [Descriptor.For(MediaTypes.OciLayerGzip, baseLayer), Descriptor.For(MediaTypes.OciLayerGzip, appLayer)],
        });
        return OciLayoutImage.FromManifest(root, MediaTypes.OciManifest, manifest, folder);
    }

    private static byte[] Tar(DateTimeOffset time, bool reverseOrder, params (string Name, string Content)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach ((string name, string content) in reverseOrder ? files.Reverse() : files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { ModificationTime = time, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        return stream.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Ungzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static HashSet<Digest> BaseOf(OciLayoutImage image) => [image.Manifest.Layers[0].Digest];

    [Fact]
    public void TwoBuildsAtDifferentTimesNormalizeToTheSameBytes()
    {
        OciLayoutImage first = SdkLikeImage("first", DateTimeOffset.UtcNow, reverseOrder: false);
        OciLayoutImage second = SdkLikeImage("second", DateTimeOffset.UtcNow.AddMinutes(7), reverseOrder: true);
        Assert.NotEqual(first.ManifestDescriptor.Digest, second.ManifestDescriptor.Digest);

        OciLayoutImage a = ImageRewriter.Normalize(first, Epoch, BaseOf(first));
        OciLayoutImage b = ImageRewriter.Normalize(second, Epoch, BaseOf(second));

        Assert.Equal(a.ManifestBytes, b.ManifestBytes);
        Assert.Equal(first.Manifest.Layers[0], a.Manifest.Layers[0]);
        Assert.NotEqual(first.Manifest.Layers[1].Digest, a.Manifest.Layers[1].Digest);
    }

    [Fact]
    public void NormalizedConfigIsConsistentAndKeepsEverythingElse()
    {
        OciLayoutImage built = SdkLikeImage("consistent", DateTimeOffset.UtcNow, false);
        OciLayoutImage image = ImageRewriter.Normalize(built, Epoch, BaseOf(built));

        JsonNode config = JsonNode.Parse(image.ReadBlob(image.Manifest.Config.Digest))!;
        Assert.Equal("2023-11-14T22:13:20Z", config["created"]!.GetValue<string>());
        Assert.Equal("2023-11-14T22:13:20Z", config["config"]!["Labels"]!["org.opencontainers.image.created"]!.GetValue<string>());
        Assert.Equal("k", config["config"]!["Labels"]!["com.example.keep"]!.GetValue<string>());
        Assert.Equal("2024-01-01T00:00:00Z", config["history"]![0]!["created"]!.GetValue<string>());
        Assert.True(config["com.example.unknown"]!["kept"]!.GetValue<bool>());
        byte[] appTar = Ungzip(image.ReadBlob(image.Manifest.Layers[1].Digest));
        Assert.Equal(Digest.Sha256(appTar).ToString(), config["rootfs"]!["diff_ids"]![1]!.GetValue<string>());

        using var reader = new TarReader(new MemoryStream(appTar));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            Assert.Equal(Epoch, entry.ModificationTime);
            names.Add(entry.Name);
        }

        Assert.Equal(["app/app.dll", "app/app.runtimeconfig.json"], names);
    }

    [Fact]
    public void ABaseLayerStaysTheBasesBytesWhenTheSdkWroteTheHistoryOfEveryLayer()
    {
        OciLayoutImage built = SdkLikeImage("no-history", DateTimeOffset.UtcNow, false, baseWithoutHistory: true);

        OciLayoutImage image = ImageRewriter.Normalize(built, Epoch, BaseOf(built));

        Assert.Equal(built.Manifest.Layers[0], image.Manifest.Layers[0]);
        Assert.NotEqual(built.Manifest.Layers[1].Digest, image.Manifest.Layers[1].Digest);
        JsonNode config = JsonNode.Parse(image.ReadBlob(image.Manifest.Config.Digest))!;
        Assert.All(config["history"]!.AsArray(), entry => Assert.Equal("2023-11-14T22:13:20Z", entry!["created"]!.GetValue<string>()));
        JsonNode before = JsonNode.Parse(built.ReadBlob(built.Manifest.Config.Digest))!;
        Assert.Equal(before["rootfs"]!["diff_ids"]![0]!.GetValue<string>(), config["rootfs"]!["diff_ids"]![0]!.GetValue<string>());
    }

    [Fact]
    public void AnnotateRewritesTheManifestAndKeepsItsOtherFields()
    {
        OciLayoutImage image = SdkLikeImage("annotate", DateTimeOffset.UtcNow, false);

        OciLayoutImage annotated = ImageRewriter.Annotate(image, new Dictionary<string, string> { ["com.example.arch"] = "arm: ü" });

        Assert.NotEqual(image.ManifestDescriptor.Digest, annotated.ManifestDescriptor.Digest);
        Assert.Equal(annotated.ManifestBytes.LongLength, annotated.ManifestDescriptor.Size);
        Assert.Equal("arm: ü", annotated.Manifest.Annotations!["com.example.arch"]);
        Assert.Equal(image.Manifest.Layers, annotated.Manifest.Layers);
        Assert.Equal("linux/arm64/v8", annotated.ManifestDescriptor.Platform!.ToString());
        Assert.Same(image, ImageRewriter.Annotate(image, new Dictionary<string, string>()));
    }
}
