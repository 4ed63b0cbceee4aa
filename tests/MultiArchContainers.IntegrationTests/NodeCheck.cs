namespace MultiArchContainers.IntegrationTests;

/// <summary>The checks of tests/node-checks, run with node: tools this project did not write.</summary>
internal static class NodeCheck
{
    public static string Folder => Path.Combine(RepositoryLayout.Root, "tests", "node-checks");

    /// <summary>@sigstore/verify on a bundle, trusting only <paramref name="publicKey"/>; asserts the outcome.</summary>
    public static async Task VerifyBundleAsync(string bundle, string artifact, string publicKey, bool expected)
    {
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules")), "Run ./build.sh test (it installs tests/node-checks' npm packages).");
        ProcessResult result = await ProcessRunner.RunAsync("node", [Path.Combine(Folder, "verify-bundle.mjs"), bundle, artifact, publicKey], timeout: TimeSpan.FromMinutes(1));
        Assert.True(expected == (result.ExitCode == 0 && result.StandardOutput.Trim() == "verified"), result.Combined);
    }
}
