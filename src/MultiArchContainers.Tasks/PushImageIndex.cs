using MultiArchContainers.Oci.Layout;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The Push stage for the index: the index the Combine stage wrote, pushed under every tag once every child is
/// confirmed present (<see cref="IndexPublisher"/>), or written with every image into an OCI archive.
/// </summary>
public sealed class PushImageIndex : MultiArchTask
{
    /// <summary>The per-RID images in the index's order, as <see cref="CombineImageIndex"/> returns them.</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>The index <see cref="CombineImageIndex"/> wrote.</summary>
    [Required]
    public string IndexFile { get; set; } = string.Empty;

    /// <summary>The plan PlanMultiArch wrote; an archive's index descriptor takes its annotations from it.</summary>
    public string PlanFile { get; set; } = string.Empty;

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

    /// <summary>ContainerPlatformTags: each image is also tagged &lt;tag&gt;-&lt;rid&gt;.</summary>
    public bool PlatformTags { get; set; }

    /// <summary>The run's folder, where the per-RID layouts are, to push a child again that the registry lost.</summary>
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>The pushed (or archived) index, for the Report stage.</summary>
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

        // The index's exact bytes go on; it is read only for its media type.
        byte[] content = File.ReadAllBytes(IndexFile);
        ImageIndex index = OciJson.Deserialize<ImageIndex>(content, "the combined index");
        List<(PlatformImage Image, string LayoutRoot)> images = Images.Select(item => (PlatformImageItems.FromItem(item), item.GetMetadata(ItemMetadata.LayoutRoot))).ToList();
        var platformImages = images.Select(i => i.Image).ToList();
        if (ArchiveOutputPath.Length > 0)
        {
            string path = OciArchiveWriter.ArchivePath(ArchiveOutputPath, Repository);
            var writer = new OciArchiveWriter();
            foreach ((PlatformImage image, string root) in images)
            {
                writer.AddImage(OciLayoutImage.FromManifest(root, image.Manifest.MediaType, OciLayoutImage.ReadVerified(root, image.Manifest.Digest, root), root));
            }

            AnnotationSet annotations = PublishPlan.Read(PlanFile).AnnotationSet();
            PublishedIndex written = writer.WriteIndex(path, Repository, content, platformImages, Tags, annotations.For(AnnotationLevel.IndexDescriptor), PlatformTags);
            Detail(MessageImportance.Normal, OutcomeLines.ArchiveWritten(written, Tags, path));
            PublishedIndex = PublishedIndexItems.ToItem(written, Repository, Tags, archivePath: path);
            return;
        }

        using var client = CreateClient(Registry, Registry);
        string here = $"{Registry}/{Repository}";
        var publisher = new IndexPublisher(client, line => Detail(MessageImportance.Normal, line))
        {
            TagPlatforms = PlatformTags,
            Confirmed = Images.Where(i => i.GetMetadata(ItemMetadata.InRepository) == here).Select(i => Digest.Parse(i.ItemSpec)).ToHashSet(),
            RestoreChildren = (missing, token) => PushAgainAsync(client, missing, token),
        };
        PublishedIndex published = await publisher.PublishAsync(Repository, platformImages, content, index.MediaType ?? MediaTypes.OciIndex, Tags, cancellationToken).ConfigureAwait(false);
        foreach (PlatformImage image in platformImages)
        {
            Detail(MessageImportance.Normal, $"  {image.Platform} ({image.Label}): {image.Manifest.Digest}");
        }

        PublishedIndex = PublishedIndexItems.ToItem(published, Repository, Tags, registry: Registry);
    }

    /// <summary>Pushes again each missing child whose layout the push stage left in the working folder.</summary>
    private async Task PushAgainAsync(IRegistryClient client, IReadOnlyList<PlatformImage> missing, CancellationToken cancellationToken)
    {
        string[] layouts = Directory.Exists(WorkingDirectory) ? Directory.GetDirectories(WorkingDirectory, "layout", SearchOption.AllDirectories) : [];
        var pusher = new ImagePusher(client, line => Detail(MessageImportance.Normal, line));
        foreach (PlatformImage image in missing)
        {
            if (layouts.FirstOrDefault(root => File.Exists(OciLayoutPaths.Blob(root, image.Manifest.Digest))) is { } root)
            {
                await pusher.PushAsync(image.Label, OciLayoutImage.FromManifest(root, image.Manifest.MediaType, OciLayoutImage.ReadVerified(root, image.Manifest.Digest, root), root), Repository, [], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
