using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Collect;

/// <summary>A file as a build read it: its full path, size and last write time (UTC ticks); size -1 when it did not exist.</summary>
public sealed record FileStamp(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("time")] long Ticks)
{
    public static FileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.FullName, file.Length, file.LastWriteTimeUtc.Ticks) : new FileStamp(file.FullName, -1, 0);
    }

    /// <summary>Whether the file is still as it was.</summary>
    public bool IsCurrent => Of(Path) == this;
}
