namespace MultiArchContainers.Oci.Tests;

/// <summary>The key of an image's inputs, and reuse only when it matches.</summary>
public sealed class ImageCacheTests : IDisposable
{
    private static readonly Digest Base = Digest.Sha256("base"u8);
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheKeyFollowsEveryInputAndTheImageIsReusedOnlyForTheSameOne()
    {
        string publish = Directory.CreateDirectory(Path.Combine(_folder, "publish", "sub")).Parent!.FullName;
        File.WriteAllText(Path.Combine(publish, "app.dll"), "v1");
        File.WriteAllText(Path.Combine(publish, "sub", "data.json"), "{}");
        string key = ImageCache.Key(publish, ["ContainerUser=app"], Base);

        Assert.Equal(key, ImageCache.Key(publish, ["ContainerUser=app"], Base));
        Assert.NotEqual(key, ImageCache.Key(publish, ["ContainerUser=root"], Base));
        Assert.NotEqual(key, ImageCache.Key(publish, ["ContainerUser=app"], Digest.Sha256("other base"u8)));
        File.WriteAllText(Path.Combine(publish, "app.dll"), "v2");
        Assert.NotEqual(key, ImageCache.Key(publish, ["ContainerUser=app"], Base));

        var cache = new ImageCache(Path.Combine(_folder, "cache"));
        string built = Path.Combine(_folder, "built.tar");
        File.WriteAllText(built, "image");
        string destination = Path.Combine(_folder, "run", "image.tar");
        Assert.False(cache.TryReuse(key, destination));

        cache.Remember(key, built);

        Assert.False(cache.TryReuse("another key", destination));
        Assert.False(File.Exists(destination));
        Assert.True(cache.TryReuse(key, destination));
        Assert.Equal("image", File.ReadAllText(destination));
    }
}
