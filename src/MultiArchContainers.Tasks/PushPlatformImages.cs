namespace MultiArchContainers.Tasks;

/// <summary>
/// Collects each per-RID image archive and pushes it to the target repository by digest, without a tag; an image whose
/// last push is recorded in the image cache and still in the repository is confirmed instead (<see cref="PlatformImagePublisher"/>).
/// </summary>
public sealed class PushPlatformImages : PlatformImageTask
{
    /// <summary>Repositories in the same registry whose blobs may be mounted instead of uploaded (the base image's).</summary>
    public string[] MountFrom { get; set; } = [];

    /// <summary>The image cache (one folder per RID), where each push is recorded; empty: nothing is recorded.</summary>
    public string CacheRoot { get; set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        string name = Registry.Length > 0 ? $"{Registry}/{Repository}" : Repository;
        PlatformImagePublisher publisher = CreatePublisher(name, CacheRoot);
        using var client = CreateClient(Registry, Registry);
        IReadOnlyList<PreparedPlatformImage> pushed = await publisher.PushAsync(
            client, Registry, Repository, MountFrom.Where(m => m.Length > 0).ToArray(), PlatformArchives,
            line => Detail(MessageImportance.Normal, line), cancellationToken).ConfigureAwait(false);
        if (!Log.HasLoggedErrors)
        {
            Finish(pushed, inRepository: $"{Registry}/{Repository}");
        }
    }
}
