using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// Everything a publish's per-RID builds are made from, as the publish knows it before building: the project and the
/// projects it references (from the assets file), its items, its outputs (never inputs), and the settings that reach
/// a build without a file: the tool, the command line, the environment, the toolset, the base image and the commit.
/// <see cref="TakeFiles"/> and <see cref="Complete"/> turn them into an <see cref="InputState"/>.
/// </summary>
internal sealed partial record PublishInputs
{
    /// <summary>Environment variables that shells change on their own and no build reads.</summary>
    private static readonly HashSet<string> VolatileVariables = new(StringComparer.Ordinal) { "_", "OLDPWD", "PWD", "SHLVL" };

    /// <summary>Global properties that differ on every publish and do not change what is built.</summary>
    private static readonly HashSet<string> VolatileProperties = new(StringComparer.OrdinalIgnoreCase) { "_MultiArchRunId", "_MultiArchNodeAssignmentFile", "MSBuildRestoreSessionId" };

    public required string ProjectDirectory { get; init; }

    /// <summary>The project's assets file; without a readable one nothing is proven.</summary>
    public required string AssetsFile { get; init; }

    /// <summary>Project files the project references directly (the assets file names the rest).</summary>
    public IReadOnlyList<string> ProjectReferences { get; init; } = [];

    /// <summary>The project's items that shape the build, described (identity and metadata).</summary>
    public IReadOnlyList<string> Items { get; init; } = [];

    /// <summary>Files the items name; those outside the project folders are read too.</summary>
    public IReadOnlyList<string> ItemFiles { get; init; } = [];

    /// <summary>Output files and folders, relative to the project or full (bin, obj, publish folder, metadata file, archive).</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Named settings: the tool's build, the toolset, the base image and its digest, the commit.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> GlobalProperties { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The newest of the project's MSBuild imports (MSBuildAllProjects names it first).</summary>
    public string NewestImport { get; init; } = string.Empty;

    /// <summary>
    /// The files now (<see cref="InputState.Take"/>), without the other settings; null, with the reason, when they
    /// cannot be known. Taken before anything of the publish builds.
    /// </summary>
    public InputState? TakeFiles(out string? whyNot)
    {
        string project = Path.GetFullPath(ProjectDirectory);
        if (ProjectClosure.FromAssets(AssetsFile, project) is not { } closure)
        {
            whyNot = $"the assets file '{AssetsFile}' cannot be read, so the projects it references are not known";
            return null;
        }

        var scope = new InputScope
        {
            ProjectDirectories = [project, .. closure.Projects.Concat(ProjectReferences).Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!)],
            Excluded = [.. Outputs.Where(o => o.Length > 0).Select(o => Path.GetFullPath(Path.Combine(project, o)))],
            ExtraFiles = [AssetsFile, .. closure.ConfigFiles, .. ItemFiles.Where(File.Exists)],
        };
        return InputState.Take(scope, NewestImport, out whyNot);
    }

    /// <summary><paramref name="files"/> with every other setting added; <paramref name="secret"/> keys their hashes.</summary>
    public InputState Complete(InputState files, byte[] secret) => files.With(Fingerprint(secret));

    private KeyBuilder Fingerprint(byte[] secret)
    {
        var key = new KeyBuilder(secret).Add("item lists", Items);
        foreach ((string name, string value) in Settings)
        {
            key.Add("setting " + name, value);
        }

        foreach ((string name, string value) in GlobalProperties.Where(p => !VolatileProperties.Contains(p.Key)))
        {
            key.Add("global property " + name.ToLowerInvariant(), value);
        }

        // Only a variable with a property's name can reach a build: MSBuild reads the environment as properties.
        foreach ((string name, string value) in Environment.Where(v => PropertyName().IsMatch(v.Key) && !VolatileVariables.Contains(v.Key)))
        {
            key.Add("environment variable " + name, value);
        }

        return key;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PropertyName();
}
