using System.Globalization;
using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Report;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>The image index a publish or merge made, as the item its target returns.</summary>
internal static class PublishedIndexItems
{
    /// <summary>
    /// Finishes a publish or merge: writes the metadata file when one is asked for and returns the output item
    /// (Include the index digest; MediaType, Size, Registry or ArchivePath, Repository, Tags, Names, MetadataFile).
    /// </summary>
    public static ITaskItem ToItem(PublishedIndex published, string repository, IReadOnlyList<string> tags, string metadataFile, string? registry = null, string? archivePath = null)
    {
        if (metadataFile.Length > 0)
        {
            MetadataFile.Write(metadataFile, MetadataDocument.ForIndex(published));
        }

        var item = new TaskItem(published.Descriptor.Digest.ToString());
        item.SetMetadata(ItemMetadata.MediaType, published.Descriptor.MediaType);
        item.SetMetadata(ItemMetadata.Size, published.Descriptor.Size.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata(ItemMetadata.Registry, registry ?? string.Empty);
        item.SetMetadata(ItemMetadata.ArchivePath, archivePath ?? string.Empty);
        item.SetMetadata(ItemMetadata.Repository, repository);
        item.SetMetadata(ItemMetadata.Tags, string.Join(';', tags));
        item.SetMetadata(ItemMetadata.Names, string.Join(';', published.Names));
        item.SetMetadata(ItemMetadata.MetadataFile, metadataFile);
        return item;
    }
}
