namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// The MSBuild properties a node's build gets: the global properties of this build (what was given on the command
/// line, <c>-p:Version=…</c> included), so a node builds from the same inputs as a local per-RID build, then the
/// container properties of the project. Properties that name this machine's build of the publish are left out.
/// </summary>
public static class NodeProperties
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
            .Where(p => !p.Key.StartsWith("_MultiArch", StringComparison.Ordinal) && !Local.Contains(p.Key) && p.Value.Length > 0)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in project.Where(p => p.Value.Length > 0))
        {
            result[name] = value;
        }

        return result;
    }
}
