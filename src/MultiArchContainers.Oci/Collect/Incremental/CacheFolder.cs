namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// The files of the image cache (<c>obj/multiarch/&lt;configuration&gt;/cache/</c>): folders only this user can read
/// (0700, like the publish's own run folders), each file written whole or not at all (a temporary name, then a rename),
/// and read back as nothing when it is missing or damaged.
/// </summary>
internal static class CacheFolder
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="folder"/> and any missing parent, private to this user.</summary>
    public static void Create(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, Private);
        // A folder made before (by an older version) is made private too.
        if ((File.GetUnixFileMode(folder) & ~Private) != 0)
        {
            File.SetUnixFileMode(folder, Private);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> in one step: readers see the old file or the new one.</summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> content)
    {
        Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string partial = $"{path}.{Guid.NewGuid():N}.partial";
        File.WriteAllBytes(partial, content.ToArray());
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="path"/>, which appears in one step: a rename on one file system
    /// (no bytes copied), else a copy beside <paramref name="path"/> that is then renamed.
    /// </summary>
    public static void MoveFile(string source, string path)
    {
        Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string partial = $"{path}.{Guid.NewGuid():N}.partial";
        File.Move(source, partial);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The document at <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static T? ReadJson<T>(string path, string what) where T : class
    {
        try
        {
            return File.Exists(path) ? OciJson.Deserialize<T>(File.ReadAllBytes(path), what, IncrementalJsonContext.Rules) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The cache's own secret (32 random bytes in <c>secret</c>, made on first use): the key of the hashes it keeps of
    /// settings that may hold secrets (<see cref="KeyBuilder"/>).
    /// </summary>
    public static byte[] Secret(string cacheRoot)
    {
        string path = Path.Combine(cacheRoot, "secret");
        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path) is { Length: 32 } existing)
            {
                return existing;
            }
        }
        catch (IOException)
        {
        }

        byte[] secret = RandomNumberGenerator.GetBytes(32);
        Create(cacheRoot);
        string partial = $"{path}.{Guid.NewGuid():N}.partial";
        using (FileStream file = OperatingSystem.IsWindows()
            ? new FileStream(partial, FileMode.CreateNew)
            : new FileStream(partial, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(secret);
        }

        // Two publishes making it at once: the first one's stays, and both read it back.
        try
        {
            File.Move(partial, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(partial);
        }

        return File.ReadAllBytes(path);
    }
}
