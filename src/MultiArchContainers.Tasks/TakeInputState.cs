namespace MultiArchContainers.Tasks;

/// <summary>
/// Before anything of the publish builds: reads every file the per-RID builds can read (<see cref="PublishInputs"/>)
/// into the state file, and gives the time now to the changed ones whose time MSBuild could not see
/// (<see cref="BuildSkipper.Reveal"/>). <see cref="SkipUnchangedBuilds"/> adds the settings and decides.
/// </summary>
public sealed class TakeInputState : MultiArchTask
{
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

    /// <summary>Items that shape the build; their files outside the project folders are read too.</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>Output files and folders, never inputs (bin, obj, publish folder, metadata file, archive).</summary>
    public string[] Outputs { get; set; } = [];

    /// <summary>MSBuildAllProjects: MSBuild puts the newest of the project's imports first.</summary>
    public string NewestImport { get; set; } = string.Empty;

    /// <summary>Where the state is written; nothing is written when the files cannot be known (every RID builds).</summary>
    [Required]
    public string StateFile { get; set; } = string.Empty;

    /// <summary>Why the files cannot be known, when they cannot.</summary>
    [Output]
    public string Unknown { get; private set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        InputState? files = InputItems.Inputs(ProjectDirectory, AssetsFile, ProjectReferences, Items, Outputs, NewestImport).TakeFiles(out string? whyNot);
        if (files is null)
        {
            Unknown = whyNot ?? "the inputs cannot be known";
            File.Delete(StateFile);
            return Task.CompletedTask;
        }

        files.Write(StateFile);
        BuildSkipper.Reveal(CacheRoot, files, m => Detail(MessageImportance.Normal, m));
        return Task.CompletedTask;
    }
}
