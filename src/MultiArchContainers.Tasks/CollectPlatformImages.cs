namespace MultiArchContainers.Tasks;

/// <summary>
/// Collects each per-RID image archive into its layout folder for an OCI archive (or the local engine), pushing
/// nothing; the items carry <c>LayoutRoot</c> (<see cref="PlatformImagePublisher"/>).
/// </summary>
public sealed class CollectPlatformImages : PlatformImageTask
{
    /// <summary>When set (one image): also write the image as an OCI archive here (a build node's answer).</summary>
    public string TransferArchivePath { get; set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<PreparedPlatformImage> kept = await CreatePublisher(Repository)
            .KeepAsync(PlatformArchives, TransferArchivePath, cancellationToken).ConfigureAwait(false);
        if (!Log.HasLoggedErrors)
        {
            Finish(kept, inRepository: null);
        }
    }
}
