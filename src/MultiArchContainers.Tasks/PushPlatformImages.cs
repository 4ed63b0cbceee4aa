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

    /// <summary>The registry to push to (host[:port]); not used with <see cref="ArchiveOnly"/>.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>Prepare the images for an OCI archive instead of pushing them; items carry <c>LayoutRoot</c>.</summary>
    public bool ArchiveOnly { get; set; }

    /// <summary>The repository to push to.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Repositories in the same registry whose blobs may be mounted instead of uploaded (the base image's).</summary>
    public string[] MountFrom { get; set; } = [];

    /// <summary>The resolved annotations from <see cref="PlanMultiArch"/>; the manifest ones are written into each manifest.</summary>
    public ITaskItem[] Annotations { get; set; } = [];

    /// <summary>Add <c>org.opencontainers.image.base.name</c> to each manifest (from the image's base label, else <see cref="BaseImage"/>).</summary>
    public bool GenerateBaseName { get; set; }

    /// <summary>Add <c>org.opencontainers.image.base.digest</c> to each manifest (from the image's base digest label).</summary>
    public bool GenerateBaseDigest { get; set; }

    /// <summary>The base image reference, for the generated base name.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>SOURCE_DATE_EPOCH; when set, each image is rewritten so that its digest depends only on its content.</summary>
    public string SourceDateEpoch { get; set; } = string.Empty;

    /// <summary>When set (one image, with <see cref="ArchiveOnly"/>): also write the image as an OCI archive here (a build node's answer).</summary>
    public string TransferArchivePath { get; set; } = string.Empty;

    /// <summary>When set (one image only): where to write the image's descriptor and repository as JSON.</summary>
    public string MetadataFile { get; set; } = string.Empty;

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

            OciLayoutImage image = OciLayoutImage.ExtractAndOpen(archive.ItemSpec, Path.Combine(WorkingDirectory, rid, "layout"));
            if (Epoch() is { } epoch)
            {
                image = ImageRewriter.Normalize(image, epoch);
            }

            layouts.Add((rid, ImageRewriter.Annotate(image, ManifestAnnotations(rid, image))));
        }

        if (Log.HasLoggedErrors)
        {
            return;
        }

        if (ArchiveOnly)
        {
            PushedImages = layouts.Select(l =>
            {
                l.Image.WriteBlob(l.Image.ManifestBytes);
                if (TransferArchivePath.Length > 0)
                {
                    var writer = new Oci.Layout.OciArchiveWriter();
                    writer.AddImage(l.Image);
                    writer.Write(TransferArchivePath, l.Image.ManifestDescriptor with { Platform = null }, ["image"], new Dictionary<string, string>());
                }

                if (MetadataFile.Length > 0)
                {
                    Oci.MetadataFile.WriteImage(MetadataFile, new PlatformImage(l.Rid, l.Image.ManifestDescriptor), Registry, Repository);
                }

                ITaskItem item = ToItem(new PlatformImage(l.Rid, l.Image.ManifestDescriptor));
                item.SetMetadata(LayoutRoot, l.Image.Root);
                return item;
            }).ToArray();
            return;
        }

        using var client = CreateClient(Registry);
        var pusher = new ImagePusher(client, Info);
        string[] mountFrom = MountFrom.Where(m => m.Length > 0).ToArray();
        PlatformImage[] pushed = await Task.WhenAll(layouts.Select(l => pusher.PushAsync(l.Rid, l.Image, Repository, mountFrom, cancellationToken))).ConfigureAwait(false);
        PushedImages = pushed.Select(ToItem).ToArray();
        if (MetadataFile.Length > 0 && pushed.Length == 1)
        {
            Oci.MetadataFile.WriteImage(MetadataFile, pushed[0], Registry, Repository);
        }
    }

    private SortedDictionary<string, string> ManifestAnnotations(string rid, OciLayoutImage image)
    {
        SortedDictionary<string, string> annotations = ResolvedAnnotations.Select(Annotations, AnnotationLevel.Manifest, rid);
        IReadOnlyDictionary<string, string> labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        string? baseName = labels.GetValueOrDefault(BaseNameKey) is { Length: > 0 } label ? label : BaseImage.Length > 0 ? BaseImage : null;
        if (GenerateBaseName && baseName is not null)
        {
            annotations.TryAdd(BaseNameKey, baseName);
        }

        if (GenerateBaseDigest && labels.GetValueOrDefault(BaseDigestKey) is { Length: > 0 } baseDigest)
        {
            annotations.TryAdd(BaseDigestKey, baseDigest);
        }

        return annotations;
    }

    private DateTimeOffset? Epoch() =>
        long.TryParse(SourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    internal const string LayoutRoot = nameof(LayoutRoot);

    private const string BaseNameKey = "org.opencontainers.image.base.name";
    private const string BaseDigestKey = "org.opencontainers.image.base.digest";

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
