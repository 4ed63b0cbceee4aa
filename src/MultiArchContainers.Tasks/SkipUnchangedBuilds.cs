namespace MultiArchContainers.Tasks;

/// <summary>
/// Before the per-RID builds: completes the state <see cref="TakeInputState"/> took before anything built with every
/// setting that reaches a build without a file (the tool, the command line, the environment, the item lists, the
/// toolset, the base image digest, the commit), and skips the build of each RID whose last build was made from the
/// same state, using its kept image ("up to date"). The per-RID builds keep the state with their image
/// (<see cref="RecordPlatformInputs"/>).
/// </summary>
public sealed class SkipUnchangedBuilds : MultiArchTask
{
    /// <summary>The planned platforms; Include is the RID.</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>The image cache, one folder per RID.</summary>
    [Required]
    public string CacheRoot { get; set; } = string.Empty;

    /// <summary>The project's folder, where the commit is looked for.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>Items whose identity and metadata shape the build.</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>Named settings: the toolset, the base image and its digest (Include the name, <c>Value</c> the value).</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>Whether to skip at all (ContainerSkipUnchangedBuilds); false builds every RID and only records.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The state <see cref="TakeInputState"/> wrote; completed here for the per-RID builds. Missing: every RID builds.</summary>
    [Required]
    public string StateFile { get; set; } = string.Empty;

    /// <summary>Why the files could not be known, when they could not.</summary>
    public string Unknown { get; set; } = string.Empty;

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
        var inputs = InputItems.Inputs(ProjectDirectory, string.Empty, [], Items, [], string.Empty) with
        {
            Settings = settings,
            GlobalProperties = BuildEngine is IBuildEngine6 engine ? engine.GetGlobalProperties() : new Dictionary<string, string>(),
            Environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(v => (string)v.Key, v => v.Value as string ?? string.Empty),
        };
        InputState? state = File.Exists(StateFile) ? inputs.Complete(InputState.Read(StateFile), CacheFolder.Secret(CacheRoot)) : null;
        state?.Write(StateFile);

        IReadOnlyList<BuildSkipper.Result> results = BuildSkipper.Decide(CacheRoot, Platforms.Select(p => p.ItemSpec), state, Unknown.Length > 0 ? Unknown : null, Enabled);
        foreach (BuildSkipper.Result result in results)
        {
            if (result.Decision.UpToDate)
            {
                Detail(MessageImportance.Normal, $"{result.RuntimeIdentifier}: up to date; nothing it is built from changed, so its build is skipped and the image built before is reused");
            }
            else
            {
                Detail(MessageImportance.Normal, $"{result.RuntimeIdentifier}: building, because {result.Decision.Reason}.");
            }
        }

        UpToDate = [.. results.Where(r => r.Archive is not null).Select(r =>
        {
            var item = new TaskItem(r.Archive);
            item.SetMetadata(ItemMetadata.RuntimeIdentifier, r.RuntimeIdentifier);
            item.SetMetadata(ItemMetadata.Kind, ItemMetadata.ArchiveKind);
            item.SetMetadata(ItemMetadata.Outcome, "up to date");
            return (ITaskItem)item;
        })];
        Stale = [.. Platforms.Where(p => results.Any(r => r.RuntimeIdentifier == p.ItemSpec && !r.Decision.UpToDate))];
        return Task.CompletedTask;
    }
}
