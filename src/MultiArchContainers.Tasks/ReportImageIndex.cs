namespace MultiArchContainers.Tasks;

/// <summary>
/// The Report stage of an index, after PublishMultiArch's Push or MergeMultiArch: the metadata file
/// (ContainerMetadataFile) and the ContainerMultiArchImage item the public target returns.
/// </summary>
public sealed class ReportImageIndex : MultiArchTask
{
    /// <summary>The pushed or archived index, as <see cref="PushImageIndex"/> or <see cref="MergeImageIndex"/> returns it.</summary>
    [Required]
    public ITaskItem Index { get; set; } = new TaskItem();

    /// <summary>Its images in the index's order.</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>ContainerPlatformTags: each image was also tagged &lt;tag&gt;-&lt;rid&gt;, which the metadata file lists.</summary>
    public bool PlatformTags { get; set; }

    /// <summary>ContainerMetadataFile; nothing is written when empty.</summary>
    public string MetadataFile { get; set; } = string.Empty;

    /// <summary><see cref="Index"/> with its <c>MetadataFile</c>.</summary>
    [Output]
    public ITaskItem? Reported { get; private set; }

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (MetadataFile.Length > 0)
        {
            PublishedIndex published = PublishedIndexItems.FromItem(Index, Images.Select(PlatformImageItems.FromItem).ToList(), PlatformTags);
            Oci.Report.MetadataFile.Write(MetadataFile, MetadataDocument.ForIndex(published));
        }

        var reported = new TaskItem(Index);
        reported.SetMetadata(ItemMetadata.MetadataFile, MetadataFile);
        Reported = reported;
        return Task.CompletedTask;
    }
}
