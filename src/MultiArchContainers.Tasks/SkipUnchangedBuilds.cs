using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Incremental;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Before anything is built: takes the state of everything the per-RID builds are made from (<see cref="PublishInputs"/>)
/// and skips the build of each RID whose last build was made from the same state, by content, using its kept image
/// ("up to date"). The state goes to the per-RID builds, which keep it with their image (<see cref="RecordPlatformInputs"/>).
/// </summary>
public sealed class SkipUnchangedBuilds : MultiArchTask
{
    /// <summary>The planned platforms; Include is the RID.</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>The image cache, one folder per RID.</summary>
    [Required]
    public string CacheRoot { get; set; } = string.Empty;

    /// <summary>The project's folder; with the folders of the projects it references, walked whole.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The project's assets file: the projects it references, directly or not, and the packages.</summary>
    public string AssetsFile { get; set; } = string.Empty;

    /// <summary>The project's ProjectReference items.</summary>
    public ITaskItem[] ProjectReferences { get; set; } = [];

    /// <summary>Items whose identity and metadata shape the build; their files outside the project folders are read too.</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>Output files and folders, never inputs (bin, obj, publish folder, metadata file, archive).</summary>
    public string[] Outputs { get; set; } = [];

    /// <summary>Named settings: the toolset, the base image and its digest (Include the name, <c>Value</c> the value).</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>MSBuildAllProjects: MSBuild puts the newest of the project's imports first.</summary>
    public string NewestImport { get; set; } = string.Empty;

    /// <summary>Whether to skip at all (ContainerSkipUnchangedBuilds); false builds every RID and only records.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the state is written for the per-RID builds.</summary>
    [Required]
    public string StateFile { get; set; } = string.Empty;

    /// <summary>The RIDs whose kept image is used: Include the kept image archive, RuntimeIdentifier, Kind=archive.</summary>
    [Output]
    public ITaskItem[] UpToDate { get; private set; } = [];

    /// <summary>The platforms to build.</summary>
    [Output]
    public ITaskItem[] Stale { get; private set; } = [];

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = Settings.ToDictionary(s => s.ItemSpec, s => s.GetMetadata(ItemMetadata.Value), StringComparer.Ordinal);
        settings["tool"] = $"{typeof(SkipUnchangedBuilds).Assembly.ManifestModule.ModuleVersionId} {typeof(InputState).Assembly.ManifestModule.ModuleVersionId}";
        settings["git commit"] = GitRevision.Find(ProjectDirectory) ?? "none";
        var inputs = new PublishInputs
        {
            ProjectDirectory = ProjectDirectory,
            AssetsFile = AssetsFile,
            ProjectReferences = [.. ProjectReferences.Select(r => r.GetMetadata("FullPath"))],
            Items = [.. ItemText.DescribeStable(Items)],
            ItemFiles = [.. Items.Select(i => i.GetMetadata("FullPath"))],
            Outputs = Outputs,
            Settings = settings,
            GlobalProperties = BuildEngine is IBuildEngine6 engine ? engine.GetGlobalProperties() : new Dictionary<string, string>(),
            Environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(v => (string)v.Key, v => v.Value as string ?? string.Empty),
            NewestImport = NewestImport.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0) ?? string.Empty,
        };
        InputState? state = inputs.Take(CacheFolder.Secret(CacheRoot), out string? whyNot);
        state?.Write(StateFile);

        IReadOnlyList<BuildSkipper.Result> results = BuildSkipper.Decide(CacheRoot, Platforms.Select(p => p.ItemSpec), state, whyNot, Enabled);
        foreach (BuildSkipper.Result result in results)
        {
            if (result.Decision.UpToDate)
            {
                Info($"{result.RuntimeIdentifier}: up to date; nothing it is built from changed, so its build is skipped and the image built before is reused");
            }
            else
            {
                Log.LogMessage(MessageImportance.Normal, $"{result.RuntimeIdentifier}: building, because {result.Decision.Reason}.");
            }
        }

        BuildSkipper.Reveal(results.Where(r => !r.Decision.UpToDate).SelectMany(r => r.Decision.Invisible), m => Log.LogMessage(MessageImportance.Normal, m));
        UpToDate = [.. results.Where(r => r.Archive is not null).Select(r =>
        {
            var item = new TaskItem(r.Archive);
            item.SetMetadata(ItemMetadata.RuntimeIdentifier, r.RuntimeIdentifier);
            item.SetMetadata("Kind", "archive");
            return (ITaskItem)item;
        })];
        Stale = [.. Platforms.Where(p => results.Any(r => r.RuntimeIdentifier == p.ItemSpec && !r.Decision.UpToDate))];
        return Task.CompletedTask;
    }
}
