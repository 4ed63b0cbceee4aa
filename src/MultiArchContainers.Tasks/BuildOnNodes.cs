using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Plan;
using MultiArchContainers.Tasks.Nodes;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Build nodes, in two steps. With <see cref="AssignOnly"/>: <see cref="NodeAssigner"/> gives each claimed RID the
/// first reachable node that claims it, written to <see cref="AssignmentFile"/>; the RIDs left are built here. Without:
/// <see cref="NodeBuilds"/> builds the assigned RIDs on their nodes. The two steps run in different project instances
/// so the node builds run beside the local ones.
/// </summary>
public sealed class BuildOnNodes : MultiArchTask
{
    /// <summary>The planned RIDs (from PlanMultiArch), in index order; used by the assign step.</summary>
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary><c>ContainerBuildNode</c> items: Include name; Address, RuntimeIdentifiers, WorkingDirectory, DotnetPath, Timeout, Transfer, IdentityFile.</summary>
    public ITaskItem[] Nodes { get; set; } = [];

    /// <summary><c>ContainerBuildNodes</c>: <c>name=ssh://…|rid,rid</c> entries separated by ';'.</summary>
    public string NodeList { get; set; } = string.Empty;

    /// <summary>Every RID must be built on a node.</summary>
    public bool RequireBuildNodes { get; set; }

    /// <summary>Skip host-key checks (throwaway test hosts only).</summary>
    public bool AcceptUnknownHostKeys { get; set; }

    /// <summary>The project file, built on the nodes.</summary>
    [Required]
    public string ProjectPath { get; set; } = string.Empty;

    /// <summary>ContainerBuildNodeSourceRoot: the folder sent to the nodes; empty for the repository the project is in.</summary>
    public string SourceRoot { get; set; } = string.Empty;

    /// <summary>The folder of this SDK's package (holding its .nupkg), sent to the nodes.</summary>
    public string PackageRoot { get; set; } = string.Empty;

    /// <summary>Properties passed to the node's build: Include is the name, <c>Value</c> the value; empty values are left out.</summary>
    public ITaskItem[] Properties { get; set; } = [];

    /// <summary>Where images that nodes send back as archives are received.</summary>
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>The plan PlanMultiArch wrote: its time reaches the nodes as SOURCE_DATE_EPOCH, so their images match.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>The publish writes an OCI archive: nodes send their images back, and nothing is pushed.</summary>
    public bool ArchiveOutput { get; set; }

    /// <summary>Only assign RIDs to reachable nodes; build nothing.</summary>
    public bool AssignOnly { get; set; }

    /// <summary>The assignments as JSON: written by the assign step (when set), read by the build step.</summary>
    public string AssignmentFile { get; set; } = string.Empty;

    /// <summary>From the assign step: Include a RID built on a node, <c>Node</c> the node's name (for the log and conditions).</summary>
    [Output]
    public ITaskItem[] Assignments { get; private set; } = [];

    /// <summary>From the assign step: the RIDs no node claims, built locally.</summary>
    [Output]
    public ITaskItem[] LocalPlatforms { get; private set; } = [];

    /// <summary>From the build step: the images the nodes built (same shape as PushPlatformImages' output).</summary>
    [Output]
    public ITaskItem[] RemoteImages { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var nodes = Nodes.Select(item => BuildNode.Parse(item.ItemSpec, item.GetMetadata("Address"), item.GetMetadata("RuntimeIdentifiers"),
            item.MetadataNames.Cast<string>().ToDictionary(n => n, item.GetMetadata, StringComparer.OrdinalIgnoreCase), Report)).OfType<BuildNode>().ToList();
        nodes.AddRange(BuildNode.ParseList(NodeList, Report));
        string? sourceRoot = nodes.Count == 0 ? null : NodeSources.ResolveRoot(Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!, SourceRoot, out string? problem)
            ?? throw new MultiArchException(MessageIds.BuildNodeSourceRootInvalid, SourceRoot, problem!, ProjectPath);
        var builder = new RemoteBuilder(new SshRunner(AcceptUnknownHostKeys), Report, Info);
        if (AssignOnly)
        {
            NodeAssignment assignment = Log.HasLoggedErrors ? new NodeAssignment()
                : await NodeAssigner.AssignAsync(Platforms.Select(p => p.ItemSpec).ToList(), nodes, RequireBuildNodes, node => builder.ProbeAsync(node, cancellationToken), Report, Info).ConfigureAwait(false);
            if (AssignmentFile.Length > 0)
            {
                NodeAssignment.Write(AssignmentFile, assignment);
            }

            LocalPlatforms = Platforms.Where(p => assignment.Local.Contains(p.ItemSpec, StringComparer.Ordinal)).ToArray();
            Assignments = assignment.Nodes.Select(a => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(a.Key, new Dictionary<string, string> { ["Node"] = a.Value })).ToArray();
            return;
        }

        var assigned = NodeAssignment.Read(AssignmentFile).Nodes.Select(a => (a.Key, nodes.First(n => n.Name == a.Value))).ToList();
        string? package = Directory.Exists(PackageRoot) ? Directory.EnumerateFiles(PackageRoot, "*.nupkg").FirstOrDefault() : null;
        if (Log.HasLoggedErrors || assigned.Count == 0)
        {
            return;
        }

        if (package is null)
        {
            Report(Diagnostic.Error(MessageIds.BuildNodePackageMissing, PackageRoot));
            return;
        }

        IReadOnlyDictionary<string, string> global = BuildEngine is IBuildEngine6 engine ? engine.GetGlobalProperties() : new Dictionary<string, string>();
        var properties = NodeProperties.Merge(global, Properties.Select(p => (p.ItemSpec, p.GetMetadata(ItemMetadata.Value))));
        if (NodeProperties.OfThisMachine(global).ToList() is { Count: > 0 } kept)
        {
            Detail(MessageImportance.Normal, $"Not sent to the build nodes, as they name this machine's paths: {string.Join(", ", kept)}.");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (PublishPlan.Read(PlanFile).Epoch is { } epoch)
        {
            environment["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var settings = new NodeBuildSettings(sourceRoot!, ProjectPath, package, WorkingDirectory, properties, environment);
        var images = await new NodeBuilds(builder, registry => CreateClient(registry, registry), Info).RunAsync(assigned, settings, ArchiveOutput, cancellationToken).ConfigureAwait(false);
        RemoteImages = images.Select(i => PlatformImageItems.ToItem(i.Image, i.LayoutRoot)).ToArray();
    }
}
