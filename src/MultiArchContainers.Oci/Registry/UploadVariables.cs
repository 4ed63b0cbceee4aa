namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// The .NET SDK's upload variables, read by their current names first and by their older names after, as the SDK
/// reads them: forced chunking, the chunk size, and parallel uploads. One more older name,
/// <c>SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD</c>, which no SDK reads, still works. Every older name in use is
/// reported once per run as deprecated (MAC1019), naming the name to use.
/// </summary>
internal static class UploadVariables
{
    public const string ForceChunked = "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD";
    public const string ChunkSize = "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES";
    public const string ParallelUpload = "DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD";

    /// <summary>Each current name with the older names read after it, in order.</summary>
    private static readonly (string Name, string[] Older)[] Names =
    [
        (ForceChunked, ["SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD", "SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD"]),
        (ChunkSize, ["SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES"]),
        (ParallelUpload, ["SDK_CONTAINER_REGISTRY_PARALLEL_UPLOAD"]),
    ];

    /// <summary>The value of <paramref name="name"/> (a current name) or of the first older name that is set, and which name that was.</summary>
    public static (string? Value, string Name) Read(Func<string, string?> environment, string name)
    {
        (string current, string[] older) = Names.Single(n => n.Name == name);
        foreach (string candidate in older.Prepend(current))
        {
            if (!string.IsNullOrWhiteSpace(environment(candidate)))
            {
                return (environment(candidate), candidate);
            }
        }

        return (null, current);
    }

    /// <summary>A true/false variable as the SDK reads it: true, 1, false, 0 (any case); unset is <paramref name="unset"/>.</summary>
    public static bool Flag(Func<string, string?> environment, string name, bool unset)
    {
        (string? text, _) = Read(environment, name);
        return text?.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => unset,
        };
    }

    /// <summary>The chunk size in bytes (<see cref="RegistrySettings.DefaultChunkSize"/> when unset); MAC1009 when not a whole number of at least 1024.</summary>
    public static int ChunkBytes(Func<string, string?> environment)
    {
        (string? text, string name) = Read(environment, ChunkSize);
        if (string.IsNullOrWhiteSpace(text))
        {
            return RegistrySettings.DefaultChunkSize;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1024
            ? size
            : throw new MultiArchException(MessageIds.InvalidUploadChunkSize, text, name);
    }

    /// <summary>A MAC1019 warning for every older name that is set, naming the current one.</summary>
    public static IReadOnlyList<Diagnostic> Deprecated(Func<string, string?> environment) =>
        Names.SelectMany(n => n.Older.Where(o => !string.IsNullOrWhiteSpace(environment(o))).Select(o => Diagnostic.Warning(MessageIds.DeprecatedVariable, o, n.Name)))
            .ToList();
}
