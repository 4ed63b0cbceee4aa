namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// Whether one RID's build can be skipped: only when everything its last build was made from is the same now, by
/// content, and its image is still kept. Otherwise the reason, and the changed files whose time MSBuild cannot see
/// (<see cref="Invisible"/>: changed content with a time no later than when the last build finished, as a copy that
/// keeps times or two saves within one tick of the clock make). MSBuild compares times, so the caller sets those
/// files' time to now before building: when in doubt, build.
/// </summary>
internal sealed record ReuseDecision(string? Reason, IReadOnlyList<string> Invisible)
{
    public bool UpToDate => Reason is null;

    public static ReuseDecision Decide(InputState now, InputRecord? last, bool imageKept)
    {
        if (last is null)
        {
            return new ReuseDecision("it has not been built before", []);
        }

        var before = last.State.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var invisible = new List<string>();
        string? firstFile = null;
        foreach (FileState file in now.Files)
        {
            if (before.Remove(file.Path, out FileState? old) && old.Content == file.Content)
            {
                continue;
            }

            firstFile ??= old is null ? $"{file.Path} is new" : file.Exists ? $"{file.Path} changed" : $"{file.Path} is gone";
            if (old is not null && file.Exists && file.Ticks <= last.CompletedAtTicks)
            {
                invisible.Add(file.Path);
            }
        }

        firstFile ??= before.Keys.Order(StringComparer.Ordinal).Select(p => $"{p} is no longer one of its inputs").FirstOrDefault();
        string? reason = last.State.Settings.Difference(now.Settings) ?? firstFile ?? (imageKept ? null : "its kept image is gone");
        return new ReuseDecision(reason, invisible);
    }
}
