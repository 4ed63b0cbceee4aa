namespace MultiArchContainers.Oci.Tests;

public class PlatformTests
{
    [Theory]
    [InlineData("linux-x64", "linux/amd64")]
    [InlineData("linux-arm64", "linux/arm64/v8")]
    [InlineData("linux-arm", "linux/arm/v7")]
    [InlineData("linux-musl-x64", "linux/amd64")]
    [InlineData("linux-musl-arm64", "linux/arm64/v8")]
    [InlineData("linux-s390x", "linux/s390x")]
    [InlineData("linux-ppc64le", "linux/ppc64le")]
    [InlineData("linux-riscv64", "linux/riscv64")]
    [InlineData("linux-x86", "linux/386")]
    [InlineData("win-x64", "windows/amd64")]
    public void MapsRuntimeIdentifiersToPlatforms(string rid, string platform)
    {
        Assert.Equal(platform, RuntimeIdentifierPlatforms.TryGetPlatform(rid)?.ToString());
    }

    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("linux-sparc")]
    [InlineData("x64")]
    [InlineData("win-x86")]
    [InlineData("any")]
    public void RejectsRidsWithoutAContainerPlatform(string rid)
    {
        Assert.Null(RuntimeIdentifierPlatforms.TryGetPlatform(rid));
    }

    [Fact]
    public void ConfigWithoutVariantGetsTheArmDefaults()
    {
        Assert.Equal("linux/arm64/v8", new ImageConfig { Os = "linux", Architecture = "arm64" }.ToPlatform()!.ToString());
        Assert.Equal("linux/arm/v7", new ImageConfig { Os = "linux", Architecture = "arm" }.ToPlatform()!.ToString());
        Assert.Equal("linux/arm/v6", new ImageConfig { Os = "linux", Architecture = "arm", Variant = "v6" }.ToPlatform()!.ToString());
        Assert.Equal("linux/amd64", new ImageConfig { Os = "linux", Architecture = "amd64" }.ToPlatform()!.ToString());
        Assert.Null(new ImageConfig { Os = "linux" }.ToPlatform());
    }

    [Fact]
    public void MissingDefaultVariantIsTheSameSlot()
    {
        var bare = new Platform { Os = "linux", Architecture = "arm64" };
        var v8 = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" };
        var armv6 = new Platform { Os = "linux", Architecture = "arm", Variant = "v6" };
        var armv7 = new Platform { Os = "linux", Architecture = "arm" };

        Assert.True(bare.SameSlot(v8));
        Assert.False(armv6.SameSlot(armv7));
    }
}
