namespace MultiArchContainers.Tasks;

/// <summary>
/// Inside a per-RID build, after its publish: the key of what the image would be made of (<see cref="ImageKey"/>:
/// the publish folder, the image settings, the base image digest), and the image kept under that key, when there is
/// one ("up to date": the SDK's image build is skipped).
/// </summary>
public sealed class FindPlatformImage : MultiArchTask
{
    /// <summary>The RID, for the log.</summary>
    [Required]
    public string RuntimeIdentifier { get; set; } = string.Empty;

    /// <summary>The publish output the image is made of.</summary>
    [Required]
    public string PublishDirectory { get; set; } = string.Empty;

    /// <summary>Every setting the SDK's image builder takes: Include the name, <c>Value</c> its value.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>The container items the image builder takes (labels, environment, ports, commands), with their metadata.</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>The full base image reference; its digest is part of the key.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>The base image reference this publish's plan read, and the digest it named then (no request for it again).</summary>
    public string PlannedBaseImage { get; set; } = string.Empty;

    public string PlannedBaseDigest { get; set; } = string.Empty;

    /// <summary>The RID's image cache folder.</summary>
    [Required]
    public string CacheDirectory { get; set; } = string.Empty;

    /// <summary>The kept image, when one is found.</summary>
    [Output]
    public string FoundArchive { get; private set; } = string.Empty;

    /// <summary>The key of the inputs; empty when it cannot be known (the base image unreadable), and nothing is reused.</summary>
    [Output]
    public string InputKey { get; private set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        // Unknown base digest: the SDK's own build reads the base image next and reports what is wrong with it.
        if (!Directory.Exists(PublishDirectory) || await BaseImageDigest.ResolveAsync(BaseImage, PlannedBaseImage, PlannedBaseDigest, PullClient, cancellationToken).ConfigureAwait(false) is not { } digest)
        {
            return;
        }

        IEnumerable<KeyValuePair<string, string>> settings = Settings.Select(s => KeyValuePair.Create(s.ItemSpec, s.GetMetadata(ItemMetadata.Value)))
            .Append(KeyValuePair.Create("items", string.Join('\n', ItemText.DescribeStable(Items))));
        InputKey = ImageKey.Of(PublishDirectory, settings, digest).Value;
        var store = new ImageStore(CacheDirectory);
        if (store.Use(InputKey))
        {
            FoundArchive = store.PathOf(InputKey);
            Detail(MessageImportance.Normal, $"{RuntimeIdentifier}: up to date; the image built before from the same inputs is reused");
        }
    }
}
