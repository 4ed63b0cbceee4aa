namespace MultiArchContainers.Testing;

/// <summary>
/// Reads a registry with skopeo, a tool independent of this project, so assertions do not trust our own client.
/// <c>credentials</c> is <c>user:password</c> for registries with auth.
/// </summary>
public static class Skopeo
{
    /// <summary>The manifest bytes as the registry holds them (skopeo adds one newline when printing; it is removed).</summary>
    public static async Task<string> InspectRawAsync(string reference, string? credentials = null)
    {
        ProcessResult result = await RunAsync(["inspect", "--raw", $"docker://{reference}"], credentials);
        string output = Checked(result, "inspect --raw " + reference);
        return output.EndsWith('\n') ? output[..^1] : output;
    }

    /// <summary>The image config of one platform of <paramref name="reference"/>.</summary>
    public static async Task<JsonNode> InspectConfigAsync(string reference, string architecture, string? variant = null, string? credentials = null)
    {
        var arguments = new List<string> { "inspect", "--config", "--override-os", "linux", "--override-arch", architecture };
        if (variant is not null)
        {
            arguments.AddRange(["--override-variant", variant]);
        }

        arguments.Add($"docker://{reference}");
        return JsonNode.Parse(Checked(await RunAsync(arguments, credentials), "inspect --config " + reference))!;
    }

    /// <summary>
    /// The repository's tags, sorted. The distribution registry answers 404 for the tag list of a repository that
    /// has no tag (even when it holds untagged manifests); that is an empty list here, any other failure throws.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListTagsAsync(string repositoryReference, string? credentials = null)
    {
        ProcessResult result = await RunAsync(["list-tags", $"docker://{repositoryReference}"], credentials);
        if (result.ExitCode != 0 && result.StandardError.Contains("404 (Not Found)", StringComparison.Ordinal))
        {
            return [];
        }

        JsonNode answer = JsonNode.Parse(Checked(result, "list-tags " + repositoryReference))!;
        return answer["Tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Copies <paramref name="reference"/> with every platform into an OCI image layout at <paramref name="folder"/>.</summary>
    public static async Task CopyToLayoutAsync(string reference, string folder, string tag)
    {
        ProcessResult result = await ProcessRunner.RunAsync("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false", $"docker://{reference}", $"oci:{folder}:{tag}"], timeout: TimeSpan.FromMinutes(2));
        Checked(result, $"copy {reference} to {folder}");
    }

    private static Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string? credentials)
    {
        // Loopback registries here speak plain HTTP.
        var all = new List<string> { arguments[0], "--tls-verify=false" };
        if (credentials is not null)
        {
            all.AddRange(["--creds", credentials]);
        }

        all.AddRange(arguments.Skip(1));
        return ProcessRunner.RunAsync("skopeo", all, timeout: TimeSpan.FromMinutes(2));
    }

    private static string Checked(ProcessResult result, string what) =>
        result.ExitCode == 0 ? result.StandardOutput : throw new InvalidOperationException($"skopeo {what} failed ({result.ExitCode}):\n{result.Combined}");
}
