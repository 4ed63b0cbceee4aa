namespace MultiArchContainers.Tasks;

/// <summary>Inside a per-RID build, once the SDK made the image: keeps it (moved, not copied) under the key of its inputs for the next publish.</summary>
public sealed class KeepPlatformImage : MultiArchTask
{
    /// <summary>The key <see cref="FindPlatformImage"/> computed; nothing is kept without one.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The image archive the SDK wrote.</summary>
    [Required]
    public string ArchivePath { get; set; } = string.Empty;

    /// <summary>The RID's image cache folder.</summary>
    [Required]
    public string CacheDirectory { get; set; } = string.Empty;

    /// <summary>Where the image is now: moved into the cache when kept there (the later stages read it from there).</summary>
    [Output]
    public string KeptArchive { get; private set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        KeptArchive = ArchivePath;
        if (Key.Length > 0 && File.Exists(ArchivePath))
        {
            KeptArchive = new ImageStore(CacheDirectory).Keep(Key, ArchivePath);
        }

        return Task.CompletedTask;
    }
}
