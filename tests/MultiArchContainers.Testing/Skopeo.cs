using System.Text.Json.Nodes;

namespace MultiArchContainers.Testing;

/// <summary>Reads a registry with skopeo, a tool independent of this project, so assertions do not trust our own client.</summary>
public static class Skopeo
{
    public static Task<string> InspectRawAsync(string reference) => RunAsync("inspect", "--raw", $"docker://{reference}");

    public static Task<string> InspectConfigAsync(string reference) => RunAsync("inspect", "--config", $"docker://{reference}");

    public static async Task<IReadOnlyList<string>> ListTagsAsync(string repositoryReference)
    {
        JsonNode answer = JsonNode.Parse(await RunAsync("list-tags", $"docker://{repositoryReference}"))!;
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
