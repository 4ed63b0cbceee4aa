namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// A file as it was when it was looked at: full path, size, last write time (UTC ticks) and the SHA-256 of its
/// content. A file that did not exist has size -1 and no hash. The content hash is what decides; the time only says
/// whether MSBuild, which compares times, can see a change (<see cref="InputRecord"/>).
/// </summary>
internal sealed record FileState(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("time")] long Ticks,
    [property: JsonPropertyName("sha256")] string? Sha256)
{
    public bool Exists => Size >= 0;

    /// <summary>The file at <paramref name="path"/> now, its content read.</summary>
    public static FileState Of(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new FileState(file.FullName, -1, 0, null);
        }

        try
        {
            using FileStream content = new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            string hash = Convert.ToHexStringLower(SHA256.HashData(content));
            return new FileState(file.FullName, content.Length, file.LastWriteTimeUtc.Ticks, hash);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable now: a state that equals no earlier one, so the build runs and reports it if it matters.
            return new FileState(file.FullName, file.Length, file.LastWriteTimeUtc.Ticks, "unreadable");
        }
    }

    /// <summary>The file by size and time only: for files that never change in place (NuGet packages, the SDK's packs).</summary>
    public static FileState Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileState(file.FullName, file.Length, file.LastWriteTimeUtc.Ticks, $"stamp:{file.Length}:{file.LastWriteTimeUtc.Ticks}") : new FileState(file.FullName, -1, 0, null);
    }

    /// <summary>What the content is, for keys: the hash, or "absent".</summary>
    [JsonIgnore]
    public string Content => Sha256 ?? "absent";
}
