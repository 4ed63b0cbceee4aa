using System.Text.Json.Nodes;

namespace MultiArchContainers.Testing;

/// <summary>Reads a registry with skopeo, a tool independent of this project, so assertions do not trust our own client.</summary>
public static class Skopeo
{
    /// <summary>The manifest bytes as the registry holds them (skopeo adds one newline when printing; it is removed).</summary>
    public static async Task<string> InspectRawAsync(string reference)
    {
        string output = await RunAsync("inspect", "--raw", $"docker://{reference}");
        return output.EndsWith('\n') ? output[..^1] : output;
    }

    public static Task<string> InspectConfigAsync(string reference) => RunAsync("inspect", "--config", $"docker://{reference}");

    /// <summary>
    /// The repository's tags, sorted. The distribution registry answers 404 for the tag list of a repository that
    /// has no tag (even when it holds untagged manifests); that is an empty list here, any other failure throws.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListTagsAsync(string repositoryReference)
    {
        string[] arguments = ["list-tags", "--tls-verify=false", $"docker://{repositoryReference}"];
        ProcessResult result = await ProcessRunner.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0 && result.StandardError.Contains("404 (Not Found)", StringComparison.Ordinal))
        {
            return [];
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Combined}");
        }

        JsonNode answer = JsonNode.Parse(result.StandardOutput)!;
        return answer["Tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        // Loopback registries here speak plain HTTP.
        string[] all = [arguments[0], "--tls-verify=false", .. arguments[1..]];
        ProcessResult result = await ProcessRunner.RunAsync("skopeo", all, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo {string.Join(' ', all)} failed ({result.ExitCode}):\n{result.Combined}");
        }

        return result.StandardOutput;
    }
}
