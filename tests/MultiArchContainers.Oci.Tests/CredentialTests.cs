using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// Where credentials come from: the environment by the registry's role, as the .NET SDK reads it, and docker config
/// with real credential helper programs (small scripts on a PATH of the test's own).
/// </summary>
[Collection(RegistryCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialTests(RegistryFixture fixture) : IDisposable
{
    private const string Canary = "canary-Secret-4711";
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-creds-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Func<string, string?> Environment(Dictionary<string, string?> values)
    {
        values.TryAdd("DOCKER_CONFIG", _folder);
        values.TryAdd("PATH", _folder);
        return name => values.GetValueOrDefault(name);
    }

    /// <summary>A helper that prints <paramref name="output"/>, exits with <paramref name="exitCode"/>, after <paramref name="sleep"/> seconds.</summary>
    private void Helper(string output, int exitCode = 0, int sleep = 0)
    {
        string path = Path.Combine(_folder, "docker-credential-test");
        File.WriteAllText(path, $"#!/bin/sh\ncat >/dev/null\nsleep {sleep}\nprintf '%s' '{output}'\nexit {exitCode}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"credsStore":"test"}""");
    }

    [Fact]
    public async Task ThePushedRegistryGetsThePushVariablesAndOthersOnlyThePullOnes()
    {
        var values = new Dictionary<string, string?>
        {
            ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "pusher",
            ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = "push-secret",
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "anyone",
            ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "any-secret",
        };

        RegistryCredential? push = await new DockerConfigCredentialSource(Environment(values), RegistryRole.Push).GetAsync("r.example.com", CancellationToken.None);
        RegistryCredential? pull = await new DockerConfigCredentialSource(Environment(values), RegistryRole.Pull).GetAsync("base.example.com", CancellationToken.None);
        values["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = "puller";
        values["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = "pull-secret";
        RegistryCredential? pullSet = await new DockerConfigCredentialSource(Environment(values), RegistryRole.Pull).GetAsync("base.example.com", CancellationToken.None);
        values.Remove("DOTNET_CONTAINER_PUSH_REGISTRY_UNAME");
        RegistryCredential? generic = await new DockerConfigCredentialSource(Environment(values), RegistryRole.Push).GetAsync("r.example.com", CancellationToken.None);

        Assert.Equal("pusher", push?.UserName);
        Assert.Null(pull);
        Assert.Equal("puller", pullSet?.UserName);
        Assert.Equal("anyone", generic?.UserName);
    }

    [Fact]
    public async Task AHelpersCredentialsArePushedWithAndReadBackBySkopeo()
    {
        Helper($$"""{"ServerURL":"x","Username":"{{TestCredentials.User}}","Secret":"{{TestCredentials.Password}}"}""");
        using var client = new RegistryClient(fixture.AuthRegistry.Address, environment: Environment([]));

        SmallImage image = SmallImage.Create("from-a-helper");
        await image.PushAsync(client, "helper/app", "1.0");

        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.AuthRegistry.Address}/helper/app:1.0", $"{TestCredentials.User}:{TestCredentials.Password}"));
    }

    [Fact]
    public async Task NotFoundAndNotInstalledMeanAnonymous()
    {
        Helper("credentials not found in native keychain", exitCode: 1);
        Assert.Null(await new DockerConfigCredentialSource(Environment([])).GetAsync("r.example.com", CancellationToken.None));

        File.Delete(Path.Combine(_folder, "docker-credential-test"));
        Assert.Null(await new DockerConfigCredentialSource(Environment([])).GetAsync("r.example.com", CancellationToken.None));
    }

    [Theory]
    [InlineData("{\"Username\":\"u\",\"Secret\":\"" + Canary + "\"} trailing " + Canary, 3, 0, "exited with code 3")]
    [InlineData("not json " + Canary, 0, 0, "not JSON")]
    [InlineData("{\"Username\":\"u\"}", 0, 0, "no Username and Secret")]
    [InlineData(Canary, 0, 60, "did not answer within 1 s")]
    public async Task AnyOtherHelperFailureIsMac1013WithoutItsOutput(string output, int exitCode, int sleep, string why)
    {
        Helper(output, exitCode, sleep);
        var source = new DockerConfigCredentialSource(Environment(new() { ["MULTIARCH_CREDENTIAL_HELPER_TIMEOUT"] = "1" }));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => source.GetAsync("r.example.com", CancellationToken.None));

        Assert.Equal("MAC1013", error.Diagnostic.Code);
        Assert.Contains("docker-credential-test", error.Message, StringComparison.Ordinal);
        Assert.Contains("r.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, error.ToString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the helper was waited for {clock.Elapsed}");
    }

    [Fact]
    public async Task ACanceledLookupEndsTheHelper()
    {
        Helper("{}", sleep: 60);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DockerConfigCredentialSource(Environment([])).GetAsync("r.example.com", cancel.Token));
    }

    [Theory]
    [InlineData("{ not json", "not JSON")]
    [InlineData("""{"auths":{"r.example.com":{"auth":"%%%"}}}""", "not base64")]
    public async Task ABrokenDockerConfigIsMac1016WithoutItsContent(string config, string why)
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), config);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => new DockerConfigCredentialSource(Environment([])).GetAsync("r.example.com", CancellationToken.None));

        Assert.Equal("MAC1016", error.Diagnostic.Code);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
