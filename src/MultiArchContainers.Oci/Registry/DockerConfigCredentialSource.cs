using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// Finds credentials the way the .NET SDK's container tooling and docker do: the
/// <c>DOTNET_CONTAINER_REGISTRY_UNAME</c>/<c>_PWORD</c> variables first, then the docker config file
/// (<c>auths</c>, <c>credHelpers</c>, <c>credsStore</c>).
/// </summary>
public sealed class DockerConfigCredentialSource : ICredentialSource
{
    private readonly Func<string, string?> _environment;

    public DockerConfigCredentialSource(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public RegistryCredential? Get(string registry)
    {
        string? user = _environment("DOTNET_CONTAINER_REGISTRY_UNAME");
        string? secret = _environment("DOTNET_CONTAINER_REGISTRY_PWORD");
        if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(secret))
        {
            return new RegistryCredential(user, secret);
        }

        string? configPath = ConfigFilePath();
        if (configPath is null || !File.Exists(configPath))
        {
            return null;
        }

        using JsonDocument config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        JsonElement root = config.RootElement;
        if (root.TryGetProperty("credHelpers", out JsonElement helpers) && helpers.ValueKind == JsonValueKind.Object
            && helpers.TryGetProperty(registry, out JsonElement helper) && helper.GetString() is { Length: > 0 } helperName)
        {
            return FromHelper(helperName, registry);
        }

        if (root.TryGetProperty("auths", out JsonElement auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in auths.EnumerateObject())
            {
                if (HostOf(entry.Name).Equals(registry, StringComparison.OrdinalIgnoreCase)
                    && entry.Value.TryGetProperty("auth", out JsonElement auth) && auth.GetString() is { Length: > 0 } encoded)
                {
                    string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                    int colon = decoded.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]);
                    }
                }
            }
        }

        if (root.TryGetProperty("credsStore", out JsonElement store) && store.GetString() is { Length: > 0 } storeName)
        {
            return FromHelper(storeName, registry);
        }

        return null;
    }

    private string? ConfigFilePath()
    {
        string? dockerConfig = _environment("DOCKER_CONFIG");
        if (!string.IsNullOrEmpty(dockerConfig))
        {
            return Path.Combine(dockerConfig, "config.json");
        }

        string? home = _environment("HOME") ?? _environment("USERPROFILE");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".docker", "config.json");
    }

    private static string HostOf(string key)
    {
        string host = key;
        foreach (string scheme in new[] { "https://", "http://" })
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }

        int slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }

    private static RegistryCredential? FromHelper(string helper, string registry)
    {
        var start = new ProcessStartInfo($"docker-credential-{helper}", "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process process = Process.Start(start)!;
            process.StandardInput.Write(registry);
            process.StandardInput.Close();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                return null;
            }

            using JsonDocument answer = JsonDocument.Parse(output);
            string? user = answer.RootElement.GetProperty("Username").GetString();
            string? secret = answer.RootElement.GetProperty("Secret").GetString();
            return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret) ? null : new RegistryCredential(user, secret);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The helper is not installed: behave as docker does and go on without credentials.
            return null;
        }
    }
}
