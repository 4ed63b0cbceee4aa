namespace MultiArchContainers.Tasks;

/// <summary>
/// Inside a per-RID build, once its image is made or found: keeps the state the publish took before building
/// (<see cref="SkipUnchangedBuilds"/>) with the key of the image, so the next publish can skip the build when none of
/// it changed.
/// </summary>
public sealed class RecordPlatformInputs : MultiArchTask
{
    /// <summary>The RID's image cache folder.</summary>
    [Required]
    public string CacheDirectory { get; set; } = string.Empty;

    /// <summary>The state file the publish wrote before building; nothing is kept without one.</summary>
    public string StateFile { get; set; } = string.Empty;

    /// <summary>The key of the image this build made or found.</summary>
    public string ImageKey { get; set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (StateFile.Length > 0 && File.Exists(StateFile) && ImageKey.Length > 0)
        {
            new InputRecord(InputState.Read(StateFile), ImageKey, DateTime.UtcNow.Ticks).Write(CacheDirectory);
        }

        return Task.CompletedTask;
    }
}
