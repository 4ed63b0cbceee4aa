using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// The one time every timestamp of a publish takes (config <c>created</c>, layer entry times, the <c>created</c>
/// label and annotation): <c>SOURCE_DATE_EPOCH</c>, else the commit time of <c>HEAD</c>, else now. Two clean
/// publishes of one commit therefore give the same digests without anyone setting anything.
/// </summary>
internal sealed record BuildTime(DateTimeOffset Value, BuildTimeSource Source)
{
    /// <summary>Whether images made with this time are the same on every publish of the same inputs.</summary>
    public bool Reproducible => Source != BuildTimeSource.Now;

    /// <param name="sourceDateEpoch">SOURCE_DATE_EPOCH as set (MAC2018 when it is not a whole number of seconds).</param>
    /// <param name="projectDirectory">Where the search for the git repository starts.</param>
    /// <param name="fromGit">False: the project opted out (ContainerReproducible=false); only SOURCE_DATE_EPOCH counts.</param>
    /// <param name="now">The clock.</param>
    public static BuildTime Resolve(string? sourceDateEpoch, string? projectDirectory, bool fromGit, Func<DateTimeOffset> now)
    {
        if (Timestamps.ParseSourceDateEpoch(sourceDateEpoch) is { } epoch)
        {
            return new BuildTime(epoch, BuildTimeSource.SourceDateEpoch);
        }

        if (fromGit && !string.IsNullOrEmpty(projectDirectory) && CommitTime(projectDirectory) is { } commit)
        {
            return new BuildTime(commit, BuildTimeSource.GitCommit);
        }

        return new BuildTime(DateTimeOffset.FromUnixTimeSeconds(now().ToUnixTimeSeconds()), BuildTimeSource.Now);
    }

    /// <summary>The committer time of HEAD in the repository holding <paramref name="directory"/>; null outside git or without git.</summary>
    public static DateTimeOffset? CommitTime(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        ChildProcessResult? git = ChildProcess.Run(new ChildProcessStart("git", ["log", "-1", "--format=%ct", "HEAD"])
        {
            WorkingDirectory = directory,
            Timeout = TimeSpan.FromSeconds(30),
        });
        // No git on this machine: as outside a repository.
        return git is { Succeeded: true } && long.TryParse(git.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}
