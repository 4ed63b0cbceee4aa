namespace MultiArchContainers.Tasks;

/// <summary>Reads the commit a git work tree has checked out, from its files (no git process).</summary>
internal static class GitRevision
{
    public static string? Find(string startDirectory) =>
        Locate(startDirectory) is { } git ? Resolve(git.GitDir) : null;

    /// <summary>The folder of the work tree that holds <paramref name="startDirectory"/>, or null outside git.</summary>
    public static string? WorkTree(string startDirectory) => Locate(startDirectory)?.WorkTree;

    /// <summary>
    /// The work tree and git directory that hold <paramref name="startDirectory"/>. In a worktree or submodule
    /// ".git" is a file naming the real git directory.
    /// </summary>
    private static (string WorkTree, string GitDir)? Locate(string startDirectory)
    {
        for (DirectoryInfo? dir = new(startDirectory); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                return (dir.FullName, dotGit);
            }

            if (File.Exists(dotGit) && File.ReadAllText(dotGit).Trim() is var line && line.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                return (dir.FullName, Path.GetFullPath(Path.Combine(dir.FullName, line["gitdir:".Length..].Trim())));
            }
        }

        return null;
    }

    /// <summary>The directory that holds refs and config: a worktree's common directory, else the git directory.</summary>
    private static string CommonDir(string gitDir) =>
        File.Exists(Path.Combine(gitDir, "commondir"))
            ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim()))
            : gitDir;

    private static string? Resolve(string gitDir)
    {
        string headPath = Path.Combine(gitDir, "HEAD");
        if (!File.Exists(headPath))
        {
            return null;
        }

        string head = File.ReadAllText(headPath).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal))
        {
            return head.Length == 40 ? head : null;
        }

        string reference = head["ref:".Length..].Trim();
        // Worktrees keep refs in the common directory.
        string commonDir = CommonDir(gitDir);
        foreach (string dir in new[] { gitDir, commonDir })
        {
            string loose = Path.Combine(dir, reference);
            if (File.Exists(loose))
            {
                return File.ReadAllText(loose).Trim();
            }

            string packed = Path.Combine(dir, "packed-refs");
            if (File.Exists(packed))
            {
                foreach (string line in File.ReadLines(packed))
                {
                    if (line.EndsWith(" " + reference, StringComparison.Ordinal) && line.Length > 41)
                    {
                        return line[..40];
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The URL of the remote <c>origin</c>, read as git reads its config, without any user name or password in any of
    /// its forms (they are secrets), or null when the work tree has none or it is a path of this machine.
    /// </summary>
    public static string? Origin(string startDirectory)
    {
        string config = Locate(startDirectory) is { } git ? Path.Combine(CommonDir(git.GitDir), "config") : string.Empty;
        return File.Exists(config) ? Oci.Collect.Attest.SourceOrigin.Sanitize(Oci.Collect.Attest.SourceOrigin.ReadUrl(File.ReadLines(config))) : null;
    }
}
