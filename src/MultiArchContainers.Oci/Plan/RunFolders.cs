namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// The working folders of publishes (<c>run-&lt;id&gt;</c>), one per publish so that two at the same time share nothing.
/// A successful publish removes its own; the folders of publishes that failed or were stopped are removed by a later
/// publish once they are old enough that no publish can still be using them.
/// </summary>
internal static class RunFolders
{
    /// <summary>How old a run folder must be before another publish removes it.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    /// <summary>Removes the <c>run-*</c> folders below <paramref name="runsFolder"/> last written before <paramref name="now"/> minus <see cref="StaleAfter"/>.</summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveStale(string runsFolder, DateTimeOffset now)
    {
        if (!Directory.Exists(runsFolder))
        {
            return 0;
        }

        int removed = 0;
        foreach (DirectoryInfo run in new DirectoryInfo(runsFolder).EnumerateDirectories("run-*"))
        {
            if (run.LastWriteTimeUtc < (now - StaleAfter).UtcDateTime)
            {
                try
                {
                    run.Delete(recursive: true);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Still in use or not ours to remove: a later publish tries again.
                }
            }
        }

        return removed;
    }
}
