namespace MultiArchContainers.Oci.Tests;

public class CombineTests
{
    private static PlatformImage Image(string rid, string arch, string? variant = null, string seed = "") =>
        new(rid, new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = Digest.Sha256(Encoding.UTF8.GetBytes(rid + seed)),
            Size = 500 + rid.Length,
            Platform = new Platform { Os = "linux", Architecture = arch, Variant = variant },
        });

    [Fact]
    public void ListsEveryImageInOrderWithItsPlatform()
    {
        PlatformImage x64 = Image("linux-x64", "amd64");
        PlatformImage arm64 = Image("linux-arm64", "arm64", "v8");

        ImageIndex index = IndexCombiner.Combine([x64, arm64], new CombineOptions());

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(2, index.SchemaVersion);
        Assert.Equal([x64.Manifest, arm64.Manifest], index.Manifests);
        Assert.Null(index.Annotations);
    }

    [Fact]
    public void CarriesExactlyTheDeclaredAnnotations()
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.source"] = "https://example.com/a:b;c=d&e'f",
            ["com.example.text"] = "ünïcödé 日本",
        };

        ImageIndex index = IndexCombiner.Combine([Image("linux-x64", "amd64")], new CombineOptions { IndexAnnotations = annotations });
        using JsonDocument json = JsonDocument.Parse(OciJson.Serialize(index));

        JsonElement written = json.RootElement.GetProperty("annotations");
        Assert.Equal(2, written.EnumerateObject().Count());
        Assert.Equal("https://example.com/a:b;c=d&e'f", written.GetProperty("org.opencontainers.image.source").GetString());
        Assert.Equal("ünïcödé 日本", written.GetProperty("com.example.text").GetString());
        Assert.False(json.RootElement.GetProperty("manifests")[0].TryGetProperty("annotations", out _));
    }

    [Fact]
    public void WritesReadableTextAndTheSameBytesEveryTime()
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["b.key"] = "ünï&'", ["a.key"] = "1" };
        var options = new CombineOptions { IndexAnnotations = annotations };

        byte[] first = OciJson.Serialize(IndexCombiner.Combine([Image("linux-x64", "amd64")], options));
        byte[] second = OciJson.Serialize(IndexCombiner.Combine([Image("linux-x64", "amd64")], options));

        Assert.Equal(first, second);
        string text = Encoding.UTF8.GetString(first);
        Assert.Contains("\"ünï&'\"", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("a.key", StringComparison.Ordinal) < text.IndexOf("b.key", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoImagesForOnePlatformAreAnError()
    {
        var error = Assert.ThrowsAny<MultiArchException>(() =>
            IndexCombiner.Combine([Image("linux-arm64", "arm64", "v8"), Image("linux-musl-arm64", "arm64", null, "musl")], new CombineOptions()));

        Assert.Equal("MAC2009", error.Diagnostic.Code);
        Assert.Contains("'linux-arm64' and 'linux-musl-arm64'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoImagesIsAnError()
    {
        Assert.Equal("MAC2005", Assert.ThrowsAny<MultiArchException>(() => IndexCombiner.Combine([], new CombineOptions())).Diagnostic.Code);
    }

    [Fact]
    public void UnknownFieldsOfADescriptorRoundTrip()
    {
        string json = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + new string('0', 64)
            + "\",\"size\":3,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"},\"com.example.extra\":{\"n\":[1,2]}}";

        Descriptor descriptor = OciJson.Deserialize<Descriptor>(Encoding.UTF8.GetBytes(json), "test");

        Assert.Equal(json, Encoding.UTF8.GetString(OciJson.Serialize(descriptor)));
    }
}
