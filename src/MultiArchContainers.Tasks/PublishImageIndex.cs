using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Combines the pushed per-RID images into one OCI image index carrying the declared annotations, and pushes it
/// under every tag once every child is confirmed present. Writes the metadata file when asked.
/// </summary>
public sealed class PublishImageIndex : MultiArchTask
{
    /// <summary>The per-RID images, as <see cref="PushPlatformImages"/> returns them.</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>The RIDs in the order the index lists them; images built elsewhere arrive in any order.</summary>
    public string[] Order { get; set; } = [];

    /// <summary>The resolved annotations from <see cref="PlanMultiArch"/>; the index and manifest-descriptor ones are used here.</summary>
    public ITaskItem[] Annotations { get; set; } = [];

    /// <summary>The registry to push to (host[:port]); not used with <see cref="ArchiveOutputPath"/>.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>When set, the index and every image go into this OCI archive (a file, or a folder for one) instead of a registry.</summary>
    public string ArchiveOutputPath { get; set; } = string.Empty;

    /// <summary>The repository to push to.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Every tag the index is pushed under.</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>Also tag every image on its own as &lt;tag&gt;-&lt;rid&gt; (ContainerPlatformTags).</summary>
    public bool PlatformTags { get; set; }

    /// <summary>Where to write the metadata JSON; nothing is written when empty.</summary>
    public string MetadataFile { get; set; } = string.Empty;

    /// <summary>The pushed index: Include is its digest; metadata MediaType, Size, Registry, Repository, Tags, Names, MetadataFile.</summary>
    [Output]
    public ITaskItem? PublishedIndex { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        foreach (string tag in Tags.Where(t => !ImageReference.IsValidTag(t)))
        {
            Report(Diagnostic.Error(MessageIds.InvalidReference, tag, "tag", ImageReference.TagRule));
        }

        if (Log.HasLoggedErrors)
        {
            return;
        }

        List<PlatformImage> images = Images.Select(PushPlatformImages.FromItem)
            .OrderBy(i => Array.IndexOf(Order, i.RuntimeIdentifier) is var at && at < 0 ? int.MaxValue : at)
            .ToList();
        var options = new CombineOptions
        {
            IndexAnnotations = ResolvedAnnotations.Select(Annotations, AnnotationLevel.Index),
            DescriptorAnnotations = images.ToDictionary(
                i => i.RuntimeIdentifier,
                i => (IReadOnlyDictionary<string, string>)ResolvedAnnotations.Select(Annotations, AnnotationLevel.ManifestDescriptor, i.RuntimeIdentifier),
                StringComparer.Ordinal),
        };
        ImageIndex index = IndexCombiner.Combine(images, options);
        if (ArchiveOutputPath.Length > 0)
        {
            WriteArchive(images, index);
            return;
        }

        using var client = CreateClient(Registry);
        var publisher = new IndexPublisher(client, Info) { TagPlatforms = PlatformTags };
        PublishedIndex published = await publisher.PublishAsync(Repository, images, index, Tags, cancellationToken).ConfigureAwait(false);
        foreach (PlatformImage image in images)
        {
            Info($"  {image.Platform} ({image.RuntimeIdentifier}): {image.Manifest.Digest}");
        }

        PublishedIndex = PublishedIndexItem(published, Repository, Tags, MetadataFile, registry: Registry);
    }

    private void WriteArchive(List<PlatformImage> images, ImageIndex index)
    {
        string path = Oci.Layout.OciArchiveWriter.ArchivePath(ArchiveOutputPath, Repository);
        var writer = new Oci.Layout.OciArchiveWriter();
        foreach ((PlatformImage image, ITaskItem item) in images.Zip(Images))
        {
            byte[] manifest = File.ReadAllBytes(Path.Combine(item.GetMetadata(PushPlatformImages.LayoutRoot), "blobs", image.Manifest.Digest.Algorithm, image.Manifest.Digest.Encoded));
            writer.AddImage(Oci.Layout.OciLayoutImage.FromManifest(item.GetMetadata(PushPlatformImages.LayoutRoot), image.Manifest.MediaType, manifest, item.ItemSpec));
        }

        PublishedIndex published = writer.WriteIndex(path, Repository, index, images, Tags, ResolvedAnnotations.Select(Annotations, AnnotationLevel.IndexDescriptor), PlatformTags);
        Info($"Wrote image index {published.Descriptor.Digest} with {images.Count} manifest(s) as {string.Join(", ", Tags.Concat(published.PlatformTags.SelectMany(t => t)))} to the OCI archive {path}");
        PublishedIndex = PublishedIndexItem(published, Repository, Tags, MetadataFile, archivePath: path);
    }
}
