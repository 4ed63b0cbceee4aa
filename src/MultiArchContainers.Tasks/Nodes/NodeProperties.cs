namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// The MSBuild properties a node's build gets: the global properties of this build (what was given on the command
/// line, <c>-p:Version=…</c> included), so a node builds from the same inputs as a local per-RID build, then the
/// container properties of the project. Properties that name this machine's build of the publish are left out, and
/// so are those that only make sense on this machine: the solution's (<c>SolutionDir</c>, …) and any whose value is an
/// absolute path here (an absolute <c>PublishDir</c>).
/// </summary>
internal static class NodeProperties
{
    private static readonly HashSet<string> Local = new(StringComparer.OrdinalIgnoreCase)
    {
        "RuntimeIdentifier", "RuntimeIdentifiers", "ContainerRuntimeIdentifier", "ContainerRuntimeIdentifiers",
        "ContainerMetadataFile", "ContainerArchiveOutputPath", "ContainerPublishMultiArch", "ContainerBuildNodes",
        "ContainerBuildNodeSourceRoot", "ContainerRequireBuildNodes", "MSBuildProjectExtensionsPath",
    };

    /// <summary>The node's properties; <paramref name="project"/> wins over <paramref name="global"/>, empty values are left out.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> global, IEnumerable<(string Name, string Value)> project)
    {
        var result = global
            .Where(p => !p.Key.StartsWith("_MultiArch", StringComparison.Ordinal) && !Local.Contains(p.Key) && p.Value.Length > 0 && !OfThisMachine(p.Key, p.Value))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in project.Where(p => p.Value.Length > 0))
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>The global properties left out because they only make sense on this machine, by name.</summary>
    public static IEnumerable<string> OfThisMachine(IReadOnlyDictionary<string, string> global) =>
        global.Where(p => !p.Key.StartsWith("_MultiArch", StringComparison.Ordinal) && !Local.Contains(p.Key) && OfThisMachine(p.Key, p.Value)).Select(p => p.Key);

    private static bool OfThisMachine(string name, string value) =>
        name.StartsWith("Solution", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith('/') || value.StartsWith(@"\\", StringComparison.Ordinal)
        || (value.Length > 2 && char.IsAsciiLetter(value[0]) && value[1] == ':' && value[2] is '\\' or '/');
}
