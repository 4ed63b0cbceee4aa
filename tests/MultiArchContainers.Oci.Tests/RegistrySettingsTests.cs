using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Tests;

public class RegistrySettingsTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", null, true)]
    [InlineData("localhost:5000", null, true)]
    [InlineData("[::1]:5000", null, true)]
    [InlineData("127.8.9.10", null, true)]
    [InlineData("registry.example.com", null, false)]
    [InlineData("registry.example.com", "other.example.com;registry.example.com", true)]
    [InlineData("registry.example.com:5000", " registry.example.com:5000 , x", true)]
    [InlineData("registry.example.com", "registry.example.com:5000", false)]
    public void PlainHttpOnlyForLoopbackAndListedRegistries(string registry, string? insecure, bool expected)
    {
        Assert.Equal(expected, RegistrySettings.UsesPlainHttp(registry, name => name == "DOTNET_CONTAINER_INSECURE_REGISTRIES" ? insecure : null));
    }

    [Fact]
    public void ParsesBearerChallenges()
    {
        Dictionary<string, string> values = AuthChallenge.Parse("realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\"");

        Assert.Equal("https://auth.example.com/token", values["realm"]);
        Assert.Equal("registry.example.com", values["service"]);
        Assert.Equal("repository:team/app:pull,push", values["scope"]);
    }

    [Fact]
    public async Task EnvironmentCredentialsWinAndNeverPrintTheSecret()
    {
        var source = new DockerConfigCredentialSource(name => name switch
        {
            "DOTNET_CONTAINER_REGISTRY_UNAME" => "ci",
            "DOTNET_CONTAINER_REGISTRY_PWORD" => "t0ken-value",
            _ => null,
        });

        RegistryCredential credential = (await source.GetAsync("registry.example.com", CancellationToken.None))!;

        Assert.Equal("ci", credential.UserName);
        Assert.DoesNotContain("t0ken-value", credential.ToString(), StringComparison.Ordinal);
    }
}
