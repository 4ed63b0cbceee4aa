using MultiArchContainers.Tasks.Nodes;

namespace MultiArchContainers.Tasks;

/// <summary>What <see cref="AssignBuildNodes"/> and <see cref="BuildOnNodes"/> share: the build nodes and how they are reached.</summary>
public abstract class NodeTask : MultiArchTask
{
    /// <summary><c>ContainerBuildNode</c> items: Include name; Address, RuntimeIdentifiers, WorkingDirectory, DotnetPath, Timeout, Transfer, IdentityFile.</summary>
    public ITaskItem[] Nodes { get; set; } = [];

    /// <summary><c>ContainerBuildNodes</c>: <c>name=ssh://…|rid,rid</c> entries separated by ';'.</summary>
    public string NodeList { get; set; } = string.Empty;

    /// <summary>Skip host-key checks (throwaway test hosts only).</summary>
    public bool AcceptUnknownHostKeys { get; set; }

    /// <summary>The project file, built on the nodes.</summary>
    [Required]
    public string ProjectPath { get; set; } = string.Empty;

    /// <summary>ContainerBuildNodeSourceRoot: the folder sent to the nodes; empty for the repository the project is in.</summary>
    public string SourceRoot { get; set; } = string.Empty;

    /// <summary>The assignments as JSON: written by <see cref="AssignBuildNodes"/>, read by <see cref="BuildOnNodes"/>.</summary>
    public string AssignmentFile { get; set; } = string.Empty;

    /// <summary>The nodes the project declares (problems reported) and the folder sent to them (null without nodes).</summary>
    private protected (List<BuildNode> Nodes, string? SourceRoot) ReadNodes()
    {
        var nodes = Nodes.Select(item => BuildNode.Parse(item.ItemSpec, item.GetMetadata("Address"), item.GetMetadata("RuntimeIdentifiers"),
            item.MetadataNames.Cast<string>().ToDictionary(n => n, item.GetMetadata, StringComparer.OrdinalIgnoreCase), Report)).OfType<BuildNode>().ToList();
        nodes.AddRange(BuildNode.ParseList(NodeList, Report));
        string? sourceRoot = nodes.Count == 0 ? null : NodeSources.ResolveRoot(Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!, SourceRoot, out string? problem)
            ?? throw new MultiArchException(MessageIds.BuildNodeSourceRootInvalid, SourceRoot, problem!, ProjectPath);
        return (nodes, sourceRoot);
    }

    private protected RemoteBuilder CreateBuilder() => new(new SshRunner(AcceptUnknownHostKeys), Report, Info);
}
