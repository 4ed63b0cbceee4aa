namespace MultiArchContainers.Oci.Model;

/// <summary>Maps .NET runtime identifiers to the container platform their images run on.</summary>
internal static class RuntimeIdentifierPlatforms
{
    private static readonly Dictionary<string, string> Architectures = new(StringComparer.Ordinal)
    {
        ["x64"] = "amd64",
        ["arm64"] = "arm64",
        ["arm"] = "arm",
        ["x86"] = "386",
        ["s390x"] = "s390x",
        ["ppc64le"] = "ppc64le",
        ["riscv64"] = "riscv64",
        ["loongarch64"] = "loong64",
    };

    /// <summary>The portable RIDs this mapping knows, for error messages.</summary>
    public static IEnumerable<string> Known =>
        Architectures.Keys.SelectMany(arch => new[] { $"linux-{arch}", $"linux-musl-{arch}" })
            .Concat(["win-x64", "win-arm64"]);

    /// <summary>
    /// A regular expression matching exactly the RIDs that <see cref="TryGetPlatform"/> knows. The targets use it, at
    /// evaluation time, to pass only those RIDs to restore; a test keeps the copy in the targets equal to this one.
    /// </summary>
    public static string RestorePattern =>
        $"(?:linux|linux-musl)-(?:{string.Join('|', Architectures.Keys)})|win-(?:x64|arm64)";

    /// <summary>The platform for <paramref name="rid"/>, or null when it names no container platform.</summary>
    public static Platform? TryGetPlatform(string rid)
    {
        int dash = rid.LastIndexOf('-');
        if (dash <= 0 || !Architectures.TryGetValue(rid[(dash + 1)..], out string? architecture))
        {
            return null;
        }

        string os = rid[..dash];
        string? containerOs = os switch
        {
            "linux" or "linux-musl" => "linux",
            "win" => "windows",
            _ => null,
        };
        if (containerOs is null || (containerOs == "windows" && architecture is not ("amd64" or "arm64")))
        {
            return null;
        }

        return new Platform { Os = containerOs, Architecture = architecture, Variant = Platform.DefaultVariant(architecture) };
    }
}
