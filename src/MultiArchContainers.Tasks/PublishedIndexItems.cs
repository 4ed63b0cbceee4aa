namespace MultiArchContainers.Tasks;

/// <summary>The image index a publish or merge made, as the item its target returns.</summary>
internal static class PublishedIndexItems
{
    /// <summary>
    /// The item of a pushed or archived index (Include the index digest; MediaType, Size, Registry or ArchivePath,
    /// Repository, Tags, Names); the Report stage adds MetadataFile.
    /// </summary>
    public static ITaskItem ToItem(PublishedIndex published, string repository, IReadOnlyList<string> tags, string? registry = null, string? archivePath = null)
    {
        var item = new TaskItem(published.Descriptor.Digest.ToString());
        item.SetMetadata(ItemMetadata.MediaType, published.Descriptor.MediaType);
        item.SetMetadata(ItemMetadata.Size, published.Descriptor.Size.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata(ItemMetadata.Registry, registry ?? string.Empty);
        item.SetMetadata(ItemMetadata.ArchivePath, archivePath ?? string.Empty);
        item.SetMetadata(ItemMetadata.Repository, repository);
        item.SetMetadata(ItemMetadata.Tags, string.Join(';', tags));
        item.SetMetadata(ItemMetadata.Names, string.Join(';', published.Names));
        return item;
    }

    /// <summary>
    /// The index an item of <see cref="ToItem"/> names, with <paramref name="images"/> (in the index's order) as its
    /// manifests: what the Report stage writes the metadata file from.
    /// </summary>
    public static PublishedIndex FromItem(ITaskItem item, IReadOnlyList<PlatformImage> images, bool platformTags)
    {
        var descriptor = new Descriptor
        {
            MediaType = item.GetMetadata(ItemMetadata.MediaType),
            Digest = Digest.Parse(item.ItemSpec),
            Size = long.Parse(item.GetMetadata(ItemMetadata.Size), CultureInfo.InvariantCulture),
        };
        string[] tags = item.GetMetadata(ItemMetadata.Tags).Split(';', StringSplitOptions.RemoveEmptyEntries);
        return new PublishedIndex([], descriptor, item.GetMetadata(ItemMetadata.Names).Split(';', StringSplitOptions.RemoveEmptyEntries), images)
        {
            PlatformTags = platformTags ? PlatformTags.For(images, tags) : [],
        };
    }
}
