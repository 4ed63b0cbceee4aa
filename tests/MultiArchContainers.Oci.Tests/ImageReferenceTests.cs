namespace MultiArchContainers.Oci.Tests;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("registry.example.com/team/app:1.4.0", "registry.example.com", "team/app", "1.4.0")]
    [InlineData("127.0.0.1:5000/base:10.0", "127.0.0.1:5000", "base", "10.0")]
    [InlineData("localhost/app", "localhost", "app", null)]
    [InlineData("team/app:latest", "", "team/app", "latest")]
    [InlineData("[::1]:5000/a/b/c:v_1.2-x", "[::1]:5000", "a/b/c", "v_1.2-x")]
    [InlineData("r.example.com:443/a__b/c-d.e", "r.example.com:443", "a__b/c-d.e", null)]
    public void ParsesRegistryRepositoryAndTag(string text, string registry, string repository, string? tag)
    {
        ImageReference reference = ImageReference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal(text, reference.ToString());
    }

    [Fact]
    public void ParsesDigestWithAndWithoutTag()
    {
        string digest = "sha256:" + new string('a', 64);

        ImageReference both = ImageReference.Parse($"r.example.com/app:1@{digest}");
        ImageReference only = ImageReference.Parse($"r.example.com/app@{digest}");

        Assert.Equal("1", both.Tag);
        Assert.Equal(digest, both.Digest.ToString());
        Assert.Equal(digest, both.ManifestReference);
        Assert.Null(only.Tag);
        Assert.Equal(digest, only.ManifestReference);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("r.example.com/App:1", "repository component 'App'")]
    [InlineData("r.example.com/app:-bad", "tag '-bad'")]
    [InlineData("r.example.com/app@sha256:abc", "not a valid digest")]
    [InlineData("r.example.com/a..b", "repository component 'a..b'")]
    [InlineData("r.example.com//app", "repository component ''")]
    [InlineData("bad_host.example.com/app", "not a valid registry")]
    public void RejectsInvalidReferencesSayingWhy(string text, string expected)
    {
        Assert.Null(ImageReference.TryParse(text, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsTagsLongerThan128Characters()
    {
        Assert.True(ImageReference.IsValidTag(new string('a', 128)));
        Assert.False(ImageReference.IsValidTag(new string('a', 129)));
    }
}
