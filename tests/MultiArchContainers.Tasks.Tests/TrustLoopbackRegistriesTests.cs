namespace MultiArchContainers.Tasks.Tests;

public class TrustLoopbackRegistriesTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.1.2.3:5000", false)]
    [InlineData("", false)]
    public void RecognisesLoopbackRegistries(string registry, bool expected)
    {
        Assert.Equal(expected, RegistrySettings.IsLoopback(registry));
    }
}
