using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Collect;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Inside a per-RID build, once its image is made or reused: keeps what the build read (<see cref="InputSnapshot"/>)
/// beside the image, so the next publish can skip the build when none of it changed (<see cref="SkipUnchangedBuilds"/>).
/// </summary>
public sealed class RecordPlatformInputs : MultiArchTask
{
    /// <summary>The RID's image cache folder.</summary>
    [Required]
    public string CacheDirectory { get; set; } = string.Empty;

    /// <summary>The fingerprint <see cref="SkipUnchangedBuilds"/> handed to this build; nothing is kept without one.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>The base image reference this build used, and the digest it resolved to.</summary>
    public string BaseImage { get; set; } = string.Empty;

    public string BaseDigest { get; set; } = string.Empty;

    /// <summary>The key of the kept image.</summary>
    public string ImageKey { get; set; } = string.Empty;

    /// <summary>Every file the build read: sources, resources, references, publish inputs, project and assets files.</summary>
    public ITaskItem[] Files { get; set; } = [];

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (Fingerprint.Length > 0 && ImageKey.Length > 0 && Digest.TryParse(BaseDigest, out Digest digest))
        {
            InputSnapshot.Take(Fingerprint, BaseImage, digest, ImageKey, Files.Select(f => f.GetMetadata("FullPath"))).Write(CacheDirectory);
        }

        return Task.CompletedTask;
    }
}
