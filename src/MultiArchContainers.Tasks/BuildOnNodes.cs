using MultiArchContainers.Tasks.Nodes;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Builds the RIDs <see cref="AssignBuildNodes"/> gave to build nodes on those nodes (<see cref="NodeBuilds"/>), in a
/// project instance of its own beside the local per-RID builds.
/// </summary>
public sealed class BuildOnNodes : NodeTask
{
    /// <summary>The folder of this SDK's package (holding its .nupkg), sent to the nodes.</summary>
    public string PackageRoot { get; set; } = string.Empty;

    /// <summary>Properties passed to the node's build: Include is the name, <c>Value</c> the value; empty values are left out.</summary>
    public ITaskItem[] Properties { get; set; } = [];

    /// <summary>Where images that nodes send back as archives are received.</summary>
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>The plan PlanMultiArch wrote: its time reaches the nodes as SOURCE_DATE_EPOCH, so their images match.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>ContainerRegistry: where an image a node sends back is pushed (the nodes get it as a property too).</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>ContainerRepository, likewise.</summary>
    public string Repository { get; set; } = string.Empty;

    /// <summary>The publish writes an OCI archive: nodes send their images back, and nothing is pushed.</summary>
    public bool ArchiveOutput { get; set; }

    /// <summary>The images the nodes built (same shape as PushPlatformImages' output).</summary>
    [Output]
    public ITaskItem[] RemoteImages { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        (List<BuildNode> nodes, string? sourceRoot) = ReadNodes();
        var builder = CreateBuilder();
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

        var settings = new NodeBuildSettings(sourceRoot!, ProjectPath, package, WorkingDirectory, properties, environment, Registry, Repository);
        var images = await new NodeBuilds(builder, registry => CreateClient(registry, registry), Info).RunAsync(assigned, settings, ArchiveOutput, cancellationToken).ConfigureAwait(false);
        RemoteImages = images.Select(i =>
        {
            ITaskItem item = PlatformImageItems.ToItem(i.Image, i.LayoutRoot);
            item.SetMetadata(ItemMetadata.Kind, ItemMetadata.CollectedKind);
            return item;
        }).ToArray();
    }
}
