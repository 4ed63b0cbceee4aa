using System.Collections.Concurrent;
using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>
/// Finds credentials the way the .NET SDK's container tooling does. First the environment, by the registry's
/// <see cref="RegistryRole"/>; then the docker config file (<c>DOCKER_CONFIG</c> or <c>~/.docker/config.json</c>) by
/// host: <c>credHelpers</c>, <c>auths</c>, <c>credsStore</c>. Credential helpers run with a time limit and
/// cancellation; their answer is never shown, since it may hold the secret. Each registry is looked up once.
/// </summary>
internal sealed class DockerConfigCredentialSource : ICredentialSource
{
    /// <summary>How long a credential helper may take unless <c>MULTIARCH_CREDENTIAL_HELPER_TIMEOUT</c> (seconds) says otherwise.</summary>
    public static readonly TimeSpan DefaultHelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What docker's credential helpers print when they have nothing for the registry.</summary>
    private const string NotFound = "credentials not found in native keychain";

    private readonly Func<string, string?> _environment;
    private readonly RegistryRole _role;
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential?>>> _found = new(StringComparer.OrdinalIgnoreCase);

    public DockerConfigCredentialSource(Func<string, string?>? environment = null, RegistryRole role = RegistryRole.Push)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _role = role;
    }

    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        _found.GetOrAdd(registry, r => new Lazy<Task<RegistryCredential?>>(() => FindAsync(r, cancellationToken))).Value;

    private async Task<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken)
    {
        if (FromEnvironment() is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        string? configPath = ConfigFilePath();
        if (configPath is null || !File.Exists(configPath))
        {
            return null;
        }

        JsonElement root;
        try
        {
            using JsonDocument config = JsonDocument.Parse(await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false));
            root = config.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new MultiArchException(MessageIds.DockerConfigInvalid, configPath, "it is not JSON");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MultiArchException(MessageIds.DockerConfigInvalid, configPath, "it is not a JSON object");
        }

        if (Property(root, "credHelpers") is { ValueKind: JsonValueKind.Object } helpers
            && Property(helpers, registry) is { ValueKind: JsonValueKind.String } helper && helper.GetString() is { Length: > 0 } helperName)
        {
            return await FromHelperAsync(helperName, registry, cancellationToken).ConfigureAwait(false);
        }

        if (Property(root, "auths") is { ValueKind: JsonValueKind.Object } auths)
        {
            foreach (JsonProperty entry in auths.EnumerateObject().Where(e => HostOf(e.Name).Equals(registry, StringComparison.OrdinalIgnoreCase)))
            {
                if (Property(entry.Value, "auth") is { ValueKind: JsonValueKind.String } auth && auth.GetString() is { Length: > 0 } encoded)
                {
                    return Decode(encoded, configPath, registry);
                }
            }
        }

        return Property(root, "credsStore") is { ValueKind: JsonValueKind.String } store && store.GetString() is { Length: > 0 } storeName
            ? await FromHelperAsync(storeName, registry, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The variables of the registry's role, in the .NET SDK's order; both name and secret must be set.</summary>
    private RegistryCredential? FromEnvironment()
    {
        string[] prefixes = _role switch
        {
            RegistryRole.Push => ["DOTNET_CONTAINER_PUSH_REGISTRY", "DOTNET_CONTAINER_REGISTRY", "SDK_CONTAINER_REGISTRY"],
            RegistryRole.Pull => ["DOTNET_CONTAINER_PULL_REGISTRY"],
            _ => [],
        };
        foreach (string prefix in prefixes)
        {
            string? user = _environment(prefix + "_UNAME");
            string? secret = _environment(prefix + "_PWORD");
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(secret))
            {
                return new RegistryCredential(user, secret);
            }
        }

        return null;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : null;

    private static RegistryCredential Decode(string encoded, string configPath, string registry)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw new MultiArchException(MessageIds.DockerConfigInvalid, configPath, $"the auth of '{registry}' is not base64");
        }

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..])
            : throw new MultiArchException(MessageIds.DockerConfigInvalid, configPath, $"the auth of '{registry}' is not user:password");
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

    /// <summary><c>docker-credential-&lt;helper&gt;</c> on the PATH of this source's environment, or null.</summary>
    private string? FindHelper(string helper)
    {
        if (helper.Any(c => c is '/' or '\\' || char.IsControl(c)))
        {
            return null;
        }

        string[] extensions = OperatingSystem.IsWindows() ? [".exe", ".cmd", ".bat"] : [string.Empty];
        return (_environment("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => extensions.Select(extension => Path.Combine(folder, $"docker-credential-{helper}{extension}")))
            .FirstOrDefault(File.Exists);
    }

    private TimeSpan HelperTimeout()
    {
        string? text = _environment("MULTIARCH_CREDENTIAL_HELPER_TIMEOUT");
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultHelperTimeout;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new MultiArchException(MessageIds.RegistryTimeoutInvalid, "MULTIARCH_CREDENTIAL_HELPER_TIMEOUT", text);
    }

    /// <summary>
    /// Runs <c>docker-credential-&lt;helper&gt; get</c>: both output streams are read to the end, the process is ended
    /// after the time limit or on cancellation. "Not found" and a helper that is not installed mean anonymous; any
    /// other failure is MAC1013, which never includes what the helper printed.
    /// </summary>
    private async Task<RegistryCredential?> FromHelperAsync(string helper, string registry, CancellationToken cancellationToken)
    {
        if (FindHelper(helper) is not { } path)
        {
            // Not installed: as docker does without a helper, go on without credentials.
            return null;
        }

        TimeSpan timeout = HelperTimeout();
        ChildProcessResult result = await ChildProcess.RunAsync(new ChildProcessStart(path, ["get"])
        {
            Input = (input, token) => input.WriteAsync(Encoding.UTF8.GetBytes(registry), token).AsTask(),
            Timeout = timeout,
        }, cancellationToken).ConfigureAwait(false)
            ?? throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, "it could not be started");
        switch (result.End)
        {
            case ChildProcessEnd.InputClosed:
                throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, "it closed its input early");
            case ChildProcessEnd.TimedOut:
                throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, $"it did not answer within {timeout.TotalSeconds:0} s");
        }

        string answer = result.Output.Trim();
        if (result.ExitCode != 0)
        {
            return answer == NotFound ? null
                : throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, $"it exited with code {result.ExitCode}");
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(answer);
            string? user = Property(json.RootElement, "Username") is { ValueKind: JsonValueKind.String } u ? u.GetString() : null;
            string? secret = Property(json.RootElement, "Secret") is { ValueKind: JsonValueKind.String } p ? p.GetString() : null;
            return !string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(secret)
                ? new RegistryCredential(user, secret)
                : throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, "its answer has no Username and Secret");
        }
        catch (JsonException)
        {
            throw new MultiArchException(MessageIds.CredentialHelperFailed, helper, registry, "its answer is not JSON");
        }
    }
}
