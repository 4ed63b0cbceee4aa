namespace MultiArchContainers.Tasks;

/// <summary>
/// Gives each claimed RID the first reachable node that claims it (<see cref="NodeAssigner"/>), written to
/// <see cref="NodeTask.AssignmentFile"/>; the RIDs left are built here. <see cref="BuildOnNodes"/> then builds the
/// assigned ones, in a project instance of its own so the node builds run beside the local ones.
/// </summary>
public sealed class AssignBuildNodes : NodeTask
{
    /// <summary>The planned RIDs (from PlanMultiArch), in index order.</summary>
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>Every RID must be built on a node.</summary>
    public bool RequireBuildNodes { get; set; }

    /// <summary>Include a RID built on a node, <c>Node</c> the node's name (for the log and conditions).</summary>
    [Output]
    public ITaskItem[] Assignments { get; private set; } = [];

    /// <summary>The RIDs no node claims, built locally.</summary>
    [Output]
    public ITaskItem[] LocalPlatforms { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        (List<BuildNode> nodes, _) = ReadNodes();
        var builder = CreateBuilder();
        NodeAssignment assignment = Log.HasLoggedErrors ? new NodeAssignment()
            : await NodeAssigner.AssignAsync(Platforms.Select(p => p.ItemSpec).ToList(), nodes, RequireBuildNodes, node => builder.ProbeAsync(node, cancellationToken), Report, Info).ConfigureAwait(false);
        if (AssignmentFile.Length > 0)
        {
            NodeAssignment.Write(AssignmentFile, assignment);
        }

        LocalPlatforms = Platforms.Where(p => assignment.Local.Contains(p.ItemSpec, StringComparer.Ordinal)).ToArray();
        Assignments = assignment.Nodes.Select(a => (ITaskItem)new TaskItem(a.Key, new Dictionary<string, string> { ["Node"] = a.Value })).ToArray();
    }
}
