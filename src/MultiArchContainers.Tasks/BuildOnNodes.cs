using System.Diagnostics;
using Microsoft.Build.Framework;
using MultiArchContainers.Oci;
using MultiArchContainers.Tasks.Nodes;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Build nodes, in two steps. With <see cref="AssignOnly"/>: gives each claimed RID the first reachable node that
/// claims it and returns the assignments and the RIDs left for the local build. Without: builds the
/// <see cref="Assigned"/> RIDs on their nodes over SSH, all at the same time, and returns the images they pushed.
/// The two steps run in different project instances so the node builds can run beside the local ones.
/// </summary>
public sealed class BuildOnNodes : MultiArchTask
{
    /// <summary>The planned RIDs (from PlanMultiArch), in index order.</summary>
    [Required]
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

    /// <summary>SOURCE_DATE_EPOCH, passed on so the node's images are reproducible too.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

    /// <summary>Only assign RIDs to reachable nodes; build nothing.</summary>
    public bool AssignOnly { get; set; }

    /// <summary>For the build step: Include a RID, <c>Node</c> the name of the node that builds it.</summary>
    public ITaskItem[] Assigned { get; set; } = [];

    /// <summary>From the assign step: Include a RID, <c>Node</c> its node's name.</summary>
    [Output]
    public ITaskItem[] Assignments { get; private set; } = [];

    /// <summary>The images the nodes pushed (same shape as PushPlatformImages' output).</summary>
    [Output]
    public ITaskItem[] RemoteImages { get; private set; } = [];

    /// <summary>The planned items no node claims: built locally.</summary>
    [Output]
    public ITaskItem[] LocalPlatforms { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var nodes = new List<BuildNode>();
        foreach (ITaskItem item in Nodes)
        {
            var metadata = item.MetadataNames.Cast<string>().ToDictionary(n => n, item.GetMetadata, StringComparer.OrdinalIgnoreCase);
            if (BuildNode.Parse(item.ItemSpec, item.GetMetadata("Address"), item.GetMetadata("RuntimeIdentifiers"), metadata, Report) is { } node)
            {
                nodes.Add(node);
            }
        }

        nodes.AddRange(BuildNode.ParseList(NodeList, Report));
        string? sourceRoot = null;
        if (nodes.Count > 0)
        {
            sourceRoot = NodeSources.ResolveRoot(Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!, SourceRoot, out string? problem);
            if (sourceRoot is null)
            {
                Report(Diagnostic.Error(MessageIds.BuildNodeSourceRootInvalid, SourceRoot, problem!, ProjectPath));
                return;
            }
        }

        if (!AssignOnly)
        {
            await BuildAssignedAsync(nodes, sourceRoot, cancellationToken).ConfigureAwait(false);
            return;
        }

        var claims = Platforms.ToDictionary(p => p.ItemSpec, p => nodes.Where(n => n.RuntimeIdentifiers.Contains(p.ItemSpec, StringComparer.Ordinal)).ToList(), StringComparer.Ordinal);
        LocalPlatforms = Platforms.Where(p => claims[p.ItemSpec].Count == 0).ToArray();
        if (RequireBuildNodes)
        {
            foreach (ITaskItem local in LocalPlatforms)
            {
                Report(Diagnostic.Error(MessageIds.BuildNodeRequired, local.ItemSpec));
            }
        }

        if (Log.HasLoggedErrors || claims.All(c => c.Value.Count == 0))
        {
            return;
        }

        var builder = new RemoteBuilder(new SshRunner(AcceptUnknownHostKeys), Report, Info);
        var reachable = new Dictionary<BuildNode, Task<string?>>();
        foreach (BuildNode node in claims.Values.SelectMany(n => n).Distinct())
        {
            reachable[node] = builder.ProbeAsync(node, cancellationToken);
        }

        var assignments = new List<ITaskItem>();
        foreach ((string rid, List<BuildNode> candidates) in claims.Where(c => c.Value.Count > 0))
        {
            var reasons = new List<string>();
            BuildNode? chosen = null;
            foreach (BuildNode node in candidates)
            {
                string? problem = await reachable[node].ConfigureAwait(false);
                if (problem is null)
                {
                    chosen = node;
                    break;
                }

                reasons.Add($"{node} for {rid}: {problem}");
            }

            if (chosen is null)
            {
                Report(candidates.Count == 1
                    ? Diagnostic.Error(MessageIds.BuildNodeUnreachable, candidates[0].Name, candidates[0].Address, rid, reasons[0].Split(": ", 2)[1])
                    : Diagnostic.Error(MessageIds.BuildNodesAllUnreachable, rid, string.Join("; ", reasons)));
                continue;
            }

            Info($"{rid} is built on node {chosen}");
            var item = new TaskItem(rid);
            item.SetMetadata("Node", chosen.Name);
            assignments.Add(item);
        }

        Assignments = assignments.ToArray();
    }

    private async Task BuildAssignedAsync(List<BuildNode> nodes, string? sourceRoot, CancellationToken cancellationToken)
    {
        var assignments = new List<(string Rid, BuildNode Node)>();
        foreach (ITaskItem item in Assigned)
        {
            BuildNode node = nodes.First(n => n.Name == item.GetMetadata("Node"));
            assignments.Add((item.ItemSpec, node));
        }

        if (Log.HasLoggedErrors || assignments.Count == 0)
        {
            return;
        }

        string? package = Directory.Exists(PackageRoot) ? Directory.EnumerateFiles(PackageRoot, "*.nupkg").FirstOrDefault() : null;
        if (package is null)
        {
            Report(Diagnostic.Error(MessageIds.BuildNodePackageMissing, PackageRoot));
            return;
        }

        var builder = new RemoteBuilder(new SshRunner(AcceptUnknownHostKeys), Report, Info);
        var properties = Properties.Where(p => p.GetMetadata(ItemMetadata.Value).Length > 0)
            .ToDictionary(p => p.ItemSpec, p => p.GetMetadata(ItemMetadata.Value), StringComparer.Ordinal);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SourceDateEpoch.Length > 0)
        {
            environment["SOURCE_DATE_EPOCH"] = SourceDateEpoch;
        }

        string root = sourceRoot!;
        string projectFile = NodeSources.RelativeProjectPath(root, ProjectPath);
        List<string> files = NodeSources.Files(root).ToList();
        Info($"Sending {root} ({files.Count} files) to the build nodes; they build {projectFile}");
        var results = await Task.WhenAll(assignments.Select(async a =>
        {
            var clock = Stopwatch.StartNew();
            PlatformImage? image = await builder.BuildAsync(a.Node, new RemoteBuildRequest(a.Rid, root, files, projectFile, package, Path.Combine(WorkingDirectory, "from-nodes"), properties, environment), cancellationToken).ConfigureAwait(false);
            Info($"{a.Rid} on node {a.Node.Name}: {(image is null ? "failed" : "done")} after {clock.Elapsed.TotalSeconds:0.0} s");
            return image;
        })).ConfigureAwait(false);

        // Images that came back as archives are pushed from here, by digest, like a local build's.
        var pushed = new List<PlatformImage>();
        foreach ((PlatformImage? image, (string Rid, BuildNode Node) assignment) in results.Zip(assignments))
        {
            if (image is null)
            {
                continue;
            }

            if (!assignment.Node.TransferArchive)
            {
                pushed.Add(image);
                continue;
            }

            string folder = Path.Combine(WorkingDirectory, "from-nodes");
            var layout = Oci.Layout.OciLayoutImage.ExtractAndOpen(Path.Combine(folder, assignment.Rid + ".tar"), Path.Combine(folder, assignment.Rid));
            using var client = new Oci.Registry.RegistryClient(properties["ContainerRegistry"]);
            pushed.Add(await new ImagePusher(client, Info).PushAsync(assignment.Rid, layout, properties["ContainerRepository"], [], cancellationToken).ConfigureAwait(false));
        }

        RemoteImages = pushed.Select(PushPlatformImages.ToItem).ToArray();
    }
}
