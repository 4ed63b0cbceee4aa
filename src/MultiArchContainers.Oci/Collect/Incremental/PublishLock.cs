namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// One publish of a project at a time. Two publishes of one project share its bin and obj folders (MSBuild builds
/// there), so a second one waits until the first has finished, and each pushes the image it built. The lock is the
/// exclusive open of a file below obj; the operating system releases it when the process ends, whatever happened.
/// </summary>
internal static class PublishLock
{
    /// <summary>
    /// Opens <paramref name="path"/> exclusively, waiting while another process holds it (<paramref name="waiting"/>
    /// is told once). Disposing the returned file releases the lock.
    /// </summary>
    public static async Task<FileStream> AcquireAsync(string path, Action waiting, CancellationToken cancellationToken)
    {
        CacheFolder.Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
        bool told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!told)
                {
                    waiting();
                    told = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
