namespace MultiArchContainers.Oci.Tests;

public class DigestTests
{
    [Fact]
    public void ComputesSha256OfContent()
    {
        // sha256("abc") from FIPS 180-2.
        Digest digest = Digest.Sha256(Encoding.ASCII.GetBytes("abc"));

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest.ToString());
        Assert.True(digest.Matches(Encoding.ASCII.GetBytes("abc")));
        Assert.False(digest.Matches(Encoding.ASCII.GetBytes("abd")));
    }

    [Theory]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("sha256:ba78")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:")]
    [InlineData(":abc")]
    public void RejectsMalformedDigests(string text)
    {
        Assert.False(Digest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    [Fact]
    public async Task StreamAndSpanHashesAgree()
    {
        byte[] content = Encoding.UTF8.GetBytes("layer content ünï");

        Digest fromStream = await Digest.Sha256Async(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(Digest.Sha256(content), fromStream);
    }
}
