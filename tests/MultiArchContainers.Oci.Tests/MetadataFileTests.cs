namespace MultiArchContainers.Oci.Tests;

/// <summary>The metadata file: one typed document, written and read back the same, read strictly.</summary>
public class MetadataFileTests
{
    private static readonly Descriptor Manifest = Descriptor.For(MediaTypes.OciManifest, Encoding.UTF8.GetBytes("{}"))
        with { Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" } };

    [Fact]
    public void AnIndexDocumentReadsBackAsTheImagesItNames()
    {
        var image = new PlatformImage("linux-arm64", Manifest);
        var index = Descriptor.For(MediaTypes.OciIndex, Encoding.UTF8.GetBytes("{\"manifests\":[]}"));
        var published = new PublishedIndex([], index, ["registry.example.com/team/app:1.0"], [image]) { PlatformTags = [["1.0-linux-arm64"]] };
        string text = MetadataFile.Serialize(MetadataDocument.ForIndex(published));

        MetadataDocument read = MetadataFile.TryParse(Encoding.UTF8.GetBytes(text), out string? error)!;

        Assert.Null(error);
        Assert.Equal(index.Digest, read.Digest);
        Assert.Equal(image, Assert.Single(read.Images()!));
        Assert.Equal(["1.0-linux-arm64"], read.Platforms![0].Tags);
        Assert.Contains("\"containerimage.digest\": \"" + index.Digest + "\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"containerimage.descriptor":{"mediaType":"m","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"image.name":"x"}""", "containerimage.digest")]
    [InlineData("""{"containerimage.digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","containerimage.descriptor":{"mediaType":"m","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"image.name":null}""", "image.name")]
    [InlineData("""{"containerimage.digest":"sha256:00","containerimage.descriptor":{},"image.name":"x"}""", "digest")]
    [InlineData("""[1]""", "")]
    public void ADocumentWithoutItsRequiredKeysIsRefused(string json, string named)
    {
        Assert.Null(MetadataFile.TryParse(Encoding.UTF8.GetBytes(json), out string? error));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
