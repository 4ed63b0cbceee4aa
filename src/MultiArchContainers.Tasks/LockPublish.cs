namespace MultiArchContainers.Tasks;

/// <summary>
/// Takes the project's publish lock (<see cref="PublishLock"/>) for the rest of this build, waiting while another
/// publish of the project holds it. MSBuild releases it when the build ends, however it ends.
/// </summary>
public sealed class LockPublish : MultiArchTask
{
    /// <summary>The project's lock file, below its obj folder.</summary>
    [Required]
    public string LockFile { get; set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        string key = "MultiArchContainers.PublishLock:" + Path.GetFullPath(LockFile);
        if (BuildEngine is not IBuildEngine4 engine || engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not null)
        {
            return;
        }

        FileStream held = await PublishLock.AcquireAsync(
            LockFile,
            () => Info($"Another publish of this project is running; this one waits until it has finished ({LockFile})."),
            cancellationToken).ConfigureAwait(false);
        engine.RegisterTaskObject(key, held, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
    }
}
