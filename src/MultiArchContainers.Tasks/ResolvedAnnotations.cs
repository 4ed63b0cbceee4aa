using Microsoft.Build.Framework;
using MultiArchContainers.Oci;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Resolved annotations travel between tasks as items: Include is the key; metadata Level (index, manifest,
/// manifest-descriptor, index-descriptor), RuntimeIdentifier (below the index) and Value.
/// </summary>
internal static class ResolvedAnnotations
{
    public static ITaskItem[] ToItems(AnnotationSet set) =>
        set.All.Select(a =>
        {
            var item = new TaskItem(a.Key);
            item.SetMetadata(ItemMetadata.Level, Annotations.LevelName(a.Level));
            item.SetMetadata(ItemMetadata.RuntimeIdentifier, a.Rid ?? string.Empty);
            item.SetMetadata(ItemMetadata.Value, a.Value);
            return (ITaskItem)item;
        }).ToArray();

    /// <summary>The annotations of <paramref name="items"/> at <paramref name="level"/> (and for <paramref name="rid"/>).</summary>
    public static SortedDictionary<string, string> Select(ITaskItem[] items, AnnotationLevel level, string? rid = null)
    {
        string levelName = Annotations.LevelName(level);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (ITaskItem item in items)
        {
            if (item.GetMetadata(ItemMetadata.Level) == levelName
                && (rid is null || item.GetMetadata(ItemMetadata.RuntimeIdentifier) == rid))
            {
                result[item.ItemSpec] = item.GetMetadata(ItemMetadata.Value);
            }
        }

        return result;
    }
}
