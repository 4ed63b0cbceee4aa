namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// The images one RID's builds made, each kept under the key of what it was made from
/// (<c>images/&lt;key&gt;.tar</c>): written whole under its key in one step and never replaced, so a publish that
/// chose a key reads the image of that key, whatever another publish of the project keeps at the same time. The
/// newest few are kept; older ones go when a new one is added.
/// </summary>
internal sealed class ImageStore(string folder)
{
    /// <summary>Images kept per RID besides any used in the last hour (a publish still running may need it).</summary>
    public const int Kept = 3;

    private string ImagesFolder => Path.Combine(folder, "images");

    /// <summary>Where the image of <paramref name="key"/> is kept (it may not exist).</summary>
    public string PathOf(string key) => Path.Combine(ImagesFolder, key + ".tar");

    public bool Holds(string key) => key.Length > 0 && File.Exists(PathOf(key));

    /// <summary>Marks the image of <paramref name="key"/> as used now, so it is not removed while a publish needs it.</summary>
    public bool Use(string key)
    {
        if (!Holds(key))
        {
            return false;
        }

        try
        {
            File.SetLastWriteTimeUtc(PathOf(key), DateTime.UtcNow);
            return true;
        }
        catch (IOException)
        {
            return Holds(key);
        }
    }

    /// <summary>
    /// Keeps <paramref name="archive"/> as the image of <paramref name="key"/> (moved, not copied: an image archive is
    /// tens of MB), then removes old images. Returns where the image is now: the kept archive, or
    /// <paramref name="archive"/> itself when one is kept under the key already (it is never replaced).
    /// </summary>
    public string Keep(string key, string archive)
    {
        string kept = archive;
        if (!Holds(key))
        {
            CacheFolder.MoveFile(archive, PathOf(key));
            kept = PathOf(key);
        }

        Use(key);
        RemoveOld();
        return kept;
    }

    private void RemoveOld()
    {
        DateTime recent = DateTime.UtcNow.AddHours(-1);
        foreach (FileInfo old in new DirectoryInfo(ImagesFolder).EnumerateFiles("*.tar")
            .OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept).Where(f => f.LastWriteTimeUtc < recent))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // In use elsewhere (Windows): it goes next time.
            }
        }
    }
}
