using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Registry;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Before the per-RID builds: a RID whose last build read inputs that are all unchanged (<see cref="InputSnapshot"/>:
/// files, the publish's settings and item lists, the base image digest) gets its kept image without running that
/// build at all ("up to date"); the others are built. Also hands the per-RID builds the fingerprint they record.
/// </summary>
public sealed class SkipUnchangedBuilds : MultiArchTask
{
    /// <summary>The planned platforms; Include is the RID.</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>The image cache, one folder per RID.</summary>
    [Required]
    public string CacheRoot { get; set; } = string.Empty;

    /// <summary>Items whose identity and metadata shape the build: sources, resources, references, container items.</summary>
    public ITaskItem[] SourceItems { get; set; } = [];

    /// <summary>Content and None items; only those copied to the output or publish folder count.</summary>
    public ITaskItem[] CopiedItems { get; set; } = [];

    /// <summary>The base image reference this publish's plan read; its digest then is <see cref="PlannedBaseDigest"/>.</summary>
    public string PlannedBaseImage { get; set; } = string.Empty;

    /// <summary>The digest <see cref="PlannedBaseImage"/> named when the plan read it (not asked for again).</summary>
    public string PlannedBaseDigest { get; set; } = string.Empty;

    /// <summary>Whether to skip at all (ContainerSkipUnchangedBuilds); false builds every RID and only records.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The fingerprint of this publish's global properties and item lists, for the per-RID builds to record.</summary>
    [Output]
    public string Fingerprint { get; private set; } = string.Empty;

    /// <summary>The RIDs whose kept image is used: Include the kept image archive, RuntimeIdentifier, Kind=archive, Kept=true.</summary>
    [Output]
    public ITaskItem[] UpToDate { get; private set; } = [];

    /// <summary>The platforms to build.</summary>
    [Output]
    public ITaskItem[] Stale { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        Fingerprint = ComputeFingerprint();
        var upToDate = new List<ITaskItem>();
        var stale = new List<ITaskItem>();
        var digests = new Dictionary<string, Digest?>(StringComparer.Ordinal);
        foreach (ITaskItem platform in Platforms)
        {
            string rid = platform.ItemSpec;
            string folder = Path.Combine(CacheRoot, rid);
            var cache = new ImageCache(folder);
            string? changed = Enabled ? "it has not been built before" : "ContainerSkipUnchangedBuilds is false";
            if (Enabled && InputSnapshot.Read(folder) is { } snapshot)
            {
                if (!digests.TryGetValue(snapshot.BaseImage, out Digest? digest))
                {
                    digests[snapshot.BaseImage] = digest = await BaseImageDigest.ResolveAsync(snapshot.BaseImage, PlannedBaseImage, PlannedBaseDigest, PullClient, cancellationToken).ConfigureAwait(false);
                }

                changed = snapshot.Changed(Fingerprint, digest)
                    ?? (cache.Holds(snapshot.ImageKey) ? null : "its kept image is gone");
            }

            if (changed is null)
            {
                // The kept archive itself: the push copies it into this publish's folder only if it has to unpack it.
                var item = new TaskItem(cache.ArchiveFile);
                item.SetMetadata(ItemMetadata.RuntimeIdentifier, rid);
                item.SetMetadata("Kind", "archive");
                item.SetMetadata(ItemMetadata.Kept, "true");
                upToDate.Add(item);
                Info($"{rid}: up to date; nothing it is built from changed, so its build is skipped and the image built before is reused");
            }
            else
            {
                stale.Add(platform);
                Log.LogMessage(MessageImportance.Low, $"{rid}: building, because {changed}.");
            }
        }

        UpToDate = [.. upToDate];
        Stale = [.. stale];
    }

    private string ComputeFingerprint()
    {
        IReadOnlyDictionary<string, string> global = BuildEngine is IBuildEngine6 engine ? engine.GetGlobalProperties() : new Dictionary<string, string>();
        return InputFingerprint.Compute(
            typeof(SkipUnchangedBuilds).Assembly.ManifestModule.ModuleVersionId,
            global,
            ItemText.DescribeStable(SourceItems.Concat(CopiedItems.Where(IsCopied))));
    }

    private static bool IsCopied(ITaskItem item) =>
        new[] { "CopyToOutputDirectory", "CopyToPublishDirectory" }.Any(name => item.GetMetadata(name) is { Length: > 0 } value && !value.Equals("Never", StringComparison.OrdinalIgnoreCase));
}
