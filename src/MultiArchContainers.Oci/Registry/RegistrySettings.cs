namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// Everything a registry client takes from the environment, read once when the client is made: the scheme, the
/// upload chunking of the .NET SDK's own variables, and the time limits.
/// </summary>
internal sealed record RegistrySettings
{
    /// <summary>
    /// The chunk size used when a registry refuses a blob sent in one request: 4 MiB unless configured, which hosted
    /// registries that cap a request at 4 MiB take.
    /// </summary>
    public const int DefaultChunkSize = 4 * 1024 * 1024;

    /// <summary>The registry's host[:port] as the user named it.</summary>
    public required string Registry { get; init; }

    /// <summary>Whether the registry is spoken to over plain HTTP (loopback, or listed as insecure).</summary>
    public bool PlainHttp { get; init; }

    /// <summary><c>http(s)://host[:port]/</c>: the one origin that receives this registry's credentials.</summary>
    public Uri BaseAddress => new($"{(PlainHttp ? "http" : "https")}://{Registry}/");

    /// <summary>Bytes per PATCH when chunked upload is forced; null sends each blob in one PUT until a 413 says otherwise.</summary>
    public int? ForcedChunkSize { get; init; }

    /// <summary>The chunk size after a registry refused a one-request upload as too large.</summary>
    public int ChunkSizeIfRefused { get; init; } = DefaultChunkSize;

    /// <summary>
    /// Whether blobs are uploaded side by side (<c>DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD</c>, true unless set to false):
    /// when false, the client uploads one blob at a time.
    /// </summary>
    public bool ParallelUploads { get; init; } = true;

    /// <summary>How long a TCP and TLS connection may take (<c>MULTIARCH_REGISTRY_CONNECT_TIMEOUT</c>, seconds).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request may wait for the registry's next byte, for the answer's headers or for its body
    /// (<c>MULTIARCH_REGISTRY_INACTIVITY_TIMEOUT</c>, seconds).
    /// </summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The settings for <paramref name="registry"/> from <paramref name="environment"/> (the process's when null).</summary>
    public static RegistrySettings FromEnvironment(string registry, Func<string, string?>? environment = null)
    {
        Func<string, string?> read = environment ?? Environment.GetEnvironmentVariable;
        (int? forced, int ifRefused) = ChunkSettings(read);
        return new RegistrySettings
        {
            Registry = registry,
            PlainHttp = UsesPlainHttp(registry, read),
            ForcedChunkSize = forced,
            ChunkSizeIfRefused = ifRefused,
            ParallelUploads = UploadVariables.Flag(read, UploadVariables.ParallelUpload, unset: true),
            ConnectTimeout = Seconds(read, "MULTIARCH_REGISTRY_CONNECT_TIMEOUT") ?? TimeSpan.FromSeconds(30),
            InactivityTimeout = Seconds(read, "MULTIARCH_REGISTRY_INACTIVITY_TIMEOUT") ?? TimeSpan.FromSeconds(120),
        };
    }

    /// <summary>
    /// Plain HTTP is used for loopback registries (as docker allows) and for hosts listed in
    /// <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c> (separated by ';' or ','), the variable the .NET SDK reads.
    /// </summary>
    public static bool UsesPlainHttp(string registry, Func<string, string?> environment)
    {
        if (IsLoopback(registry))
        {
            return true;
        }

        string? insecure = environment("DOTNET_CONTAINER_INSECURE_REGISTRIES");
        return insecure is not null
            && insecure.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(entry => entry.Equals(registry, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether <c>host[:port]</c> names this machine: <c>localhost</c> or a loopback address. The one home of that rule.</summary>
    public static bool IsLoopback(string? registry)
    {
        if (string.IsNullOrEmpty(registry))
        {
            return false;
        }

        string host = registry.StartsWith('[') && registry.Contains(']', StringComparison.Ordinal)
            ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Reads the chunking variables (<see cref="UploadVariables"/>): (chunk size when forced, else null; chunk size after a refusal).</summary>
    public static (int? Forced, int IfRefused) ChunkSettings(Func<string, string?> environment)
    {
        int size = UploadVariables.ChunkBytes(environment);
        bool forced = UploadVariables.Flag(environment, UploadVariables.ForceChunked, unset: false);
        return (forced ? size : null, size);
    }

    private static TimeSpan? Seconds(Func<string, string?> environment, string name)
    {
        string? text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new MultiArchException(MessageIds.RegistryTimeoutInvalid, name, text);
    }
}
