using System.Globalization;
using System.Text.Json;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Pushes each per-RID image archive (an OCI layout tarball written by the .NET SDK) to the target repository by
/// digest, without a tag, and returns one descriptor item per image.
/// </summary>
public sealed class PushPlatformImages : MultiArchTask
{
    /// <summary>Archive paths, each with <c>RuntimeIdentifier</c> metadata.</summary>
    [Required]
    public ITaskItem[] Archives { get; set; } = [];

    /// <summary>The registry to push to (host[:port]).</summary>
    [Required]
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository to push to.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Repositories in the same registry whose blobs may be mounted instead of uploaded (the base image's).</summary>
    public string[] MountFrom { get; set; } = [];

    /// <summary>Where the archives are unpacked.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>One item per image: Include is the manifest digest; metadata RuntimeIdentifier, Platform, PlatformJson, MediaType, Size.</summary>
    [Output]
    public ITaskItem[] PushedImages { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var layouts = new List<(string Rid, OciLayoutImage Image)>();
        foreach (ITaskItem archive in Archives)
        {
            string rid = archive.GetMetadata(ItemMetadata.RuntimeIdentifier);
            if (rid.Length == 0)
            {
                Report(Diagnostic.Error(MessageIds.ImageWithoutRuntimeIdentifier, archive.ItemSpec, nameof(PushPlatformImages)));
                continue;
            }

            if (!File.Exists(archive.ItemSpec))
            {
                Report(Diagnostic.Error(MessageIds.ArchiveMissing, rid, archive.ItemSpec));
                continue;
            }

            layouts.Add((rid, OciLayoutImage.ExtractAndOpen(archive.ItemSpec, Path.Combine(WorkingDirectory, rid, "layout"))));
        }

        if (Log.HasLoggedErrors)
        {
            return;
        }

        using var client = new RegistryClient(Registry);
        var pusher = new ImagePusher(client, Info);
        string[] mountFrom = MountFrom.Where(m => m.Length > 0).ToArray();
        PlatformImage[] pushed = await Task.WhenAll(layouts.Select(l => pusher.PushAsync(l.Rid, l.Image, Repository, mountFrom, cancellationToken))).ConfigureAwait(false);
        PushedImages = pushed.Select(ToItem).ToArray();
    }

    internal static ITaskItem ToItem(PlatformImage image)
    {
        var item = new TaskItem(image.Manifest.Digest.ToString());
        item.SetMetadata(ItemMetadata.RuntimeIdentifier, image.RuntimeIdentifier);
        item.SetMetadata(ItemMetadata.Platform, image.Platform.ToString());
        item.SetMetadata(ItemMetadata.PlatformJson, JsonSerializer.Serialize(image.Platform, OciJson.Options));
        item.SetMetadata(ItemMetadata.MediaType, image.Manifest.MediaType);
        item.SetMetadata(ItemMetadata.Size, image.Manifest.Size.ToString(CultureInfo.InvariantCulture));
        return item;
    }

    internal static PlatformImage FromItem(ITaskItem item)
    {
        Platform platform = JsonSerializer.Deserialize<Platform>(item.GetMetadata(ItemMetadata.PlatformJson), OciJson.Options)
            ?? throw new JsonException("PlatformJson is null.");
        var descriptor = new Descriptor
        {
            MediaType = item.GetMetadata(ItemMetadata.MediaType),
            Digest = Digest.Parse(item.ItemSpec),
            Size = long.Parse(item.GetMetadata(ItemMetadata.Size), CultureInfo.InvariantCulture),
            Platform = platform,
        };
        return new PlatformImage(item.GetMetadata(ItemMetadata.RuntimeIdentifier), descriptor);
    }
}
