namespace MultiArchContainers.Oci.Push.Engine;

/// <summary>
/// The local container engine a publish without a registry or an archive loads its images into, found as the .NET
/// SDK finds it: <c>LocalRegistry</c> (<c>Docker</c> or <c>Podman</c>) names it, else Docker when its CLI is on PATH
/// and its daemon answers, else Podman when its CLI is on PATH.
/// </summary>
/// <param name="Kind">Docker or Podman.</param>
/// <param name="Version">The engine's version as its CLI reports it.</param>
/// <param name="HoldsIndexes">Whether the engine keeps an index with every platform: Podman (as a manifest list) and
/// Docker with the containerd image store; Docker's classic store keeps one platform per name.</param>
internal sealed record LocalEngine(EngineKind Kind, string Version, bool HoldsIndexes)
{
    public string Program => Kind == EngineKind.Docker ? "docker" : "podman";

    /// <summary>The engine to use, or MAC2028 (none found) / MAC2029 (<paramref name="localRegistry"/> names none).</summary>
    public static async Task<LocalEngine> FindAsync(string localRegistry, EngineCli cli, CancellationToken cancellationToken)
    {
        EngineKind[] candidates = localRegistry.Trim().ToLowerInvariant() switch
        {
            "" => [EngineKind.Docker, EngineKind.Podman],
            "docker" => [EngineKind.Docker],
            "podman" => [EngineKind.Podman],
            _ => throw new MultiArchException(MessageIds.LocalRegistryInvalid, localRegistry),
        };

        var tried = new List<string>();
        foreach (EngineKind kind in candidates)
        {
            (LocalEngine? engine, string why) = kind == EngineKind.Docker
                ? await DockerAsync(cli, cancellationToken).ConfigureAwait(false)
                : await PodmanAsync(cli, cancellationToken).ConfigureAwait(false);
            if (engine is not null)
            {
                return engine;
            }

            tried.Add(why);
        }

        throw new MultiArchException(MessageIds.NoLocalEngine, string.Join("; ", tried));
    }

    private static async Task<(LocalEngine?, string)> DockerAsync(EngineCli cli, CancellationToken cancellationToken)
    {
        EngineResult? info = await cli.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}|{{json .DriverStatus}}"], cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return (null, "'docker' is not on PATH");
        }

        if (info.ExitCode != 0 || !info.Output.Contains('|', StringComparison.Ordinal))
        {
            return (null, $"'docker info' failed: {FirstLine(info.Error, info.Output)}");
        }

        string[] parts = info.Output.Trim().Split('|', 2);
        return (new LocalEngine(EngineKind.Docker, parts[0], parts[1].Contains("io.containerd.snapshotter", StringComparison.Ordinal)), string.Empty);
    }

    private static async Task<(LocalEngine?, string)> PodmanAsync(EngineCli cli, CancellationToken cancellationToken)
    {
        EngineResult? version = await cli.RunAsync("podman", ["version", "--format", "{{.Client.Version}}"], cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return (null, "'podman' is not on PATH");
        }

        return version.ExitCode == 0
            ? (new LocalEngine(EngineKind.Podman, version.Output.Trim(), HoldsIndexes: true), string.Empty)
            : (null, $"'podman version' failed: {FirstLine(version.Error, version.Output)}");
    }

    /// <summary>The first line an engine wrote, for a message: error output first.</summary>
    internal static string FirstLine(params string[] texts) =>
        texts.Select(t => t.Trim()).FirstOrDefault(t => t.Length > 0)?.Split('\n')[0].Trim() is { Length: > 0 } line ? line : "no output";

    /// <summary>The major version, 0 when the version text does not start with one.</summary>
    public int MajorVersion => int.TryParse(Version.Split('.')[0], out int major) ? major : 0;
}
