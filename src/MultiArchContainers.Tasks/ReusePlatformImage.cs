using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Inside a per-RID build, after publish: computes the key of the image's inputs (<see cref="ImageCache"/>) and, with
/// <see cref="Remember"/> false, reuses the image built before from the same inputs ("up to date"); with it true,
/// keeps the image just built for the next publish.
/// </summary>
public sealed class ReusePlatformImage : MultiArchTask
{
    /// <summary>The RID, for the log.</summary>
    [Required]
    public string RuntimeIdentifier { get; set; } = string.Empty;

    /// <summary>The publish output the image is made of.</summary>
    [Required]
    public string PublishDirectory { get; set; } = string.Empty;

    /// <summary>The container settings that shape the image: Include a name, <c>Value</c> its value.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>The container items that shape the image (labels, environment, ports, commands), with all their metadata.</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>The full base image reference; its digest is part of the key.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>The base image reference this publish's plan read, and the digest it named then (no request for it again).</summary>
    public string PlannedBaseImage { get; set; } = string.Empty;

    /// <summary>The digest <see cref="PlannedBaseImage"/> named when the plan read it.</summary>
    public string PlannedBaseDigest { get; set; } = string.Empty;

    /// <summary>Where the kept image and its key live.</summary>
    [Required]
    public string CacheDirectory { get; set; } = string.Empty;

    /// <summary>The image archive the build writes (reused: copied there).</summary>
    [Required]
    public string ArchivePath { get; set; } = string.Empty;

    /// <summary>Keep the image just built instead of looking for one.</summary>
    public bool Remember { get; set; }

    /// <summary>The key from the look-up, handed back to the remember step.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Whether the image built before was reused.</summary>
    [Output]
    public bool Reused { get; private set; }

    /// <summary>The key of the inputs; empty when it cannot be known (the base image unreadable), and nothing is reused.</summary>
    [Output]
    public string InputKey { get; private set; } = string.Empty;

    /// <summary>The digest the base image resolved to (part of the key).</summary>
    [Output]
    public string BaseDigest { get; private set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var cache = new ImageCache(CacheDirectory);
        if (Remember)
        {
            if (Key.Length > 0 && File.Exists(ArchivePath))
            {
                cache.Remember(Key, ArchivePath);
            }

            return;
        }

        // Unknown base digest: the SDK's own build reads the base image next and reports what is wrong with it.
        if (!Directory.Exists(PublishDirectory) || await BaseImageDigest.ResolveAsync(BaseImage, PlannedBaseImage, PlannedBaseDigest, PullClient, cancellationToken).ConfigureAwait(false) is not { } digest)
        {
            return;
        }

        BaseDigest = digest.ToString();
        IEnumerable<string> settings = Settings.Select(s => $"{s.ItemSpec}={s.GetMetadata(ItemMetadata.Value)}")
            .Concat(ItemText.DescribeStable(Items));
        InputKey = ImageCache.Key(PublishDirectory, settings, digest);
        Reused = cache.TryReuse(InputKey, ArchivePath);
        if (Reused)
        {
            Info($"{RuntimeIdentifier}: up to date; the image built before from the same inputs is reused");
        }
    }
}
