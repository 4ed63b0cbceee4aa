namespace MultiArchContainers.Tasks;

/// <summary>Reads the commit a git work tree has checked out, from its files (no git process).</summary>
internal static class GitRevision
{
    public static string? Find(string startDirectory)
    {
        for (DirectoryInfo? dir = new(startDirectory); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            if (File.Exists(dotGit))
            {
                // A worktree or submodule: ".git" is a file naming the real git directory.
                string line = File.ReadAllText(dotGit).Trim();
                if (line.StartsWith("gitdir:", StringComparison.Ordinal))
                {
                    return Resolve(Path.GetFullPath(Path.Combine(dir.FullName, line["gitdir:".Length..].Trim())));
                }
            }

            if (Directory.Exists(dotGit))
            {
                return Resolve(dotGit);
            }
        }

        return null;
    }

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
        string commonDir = File.Exists(Path.Combine(gitDir, "commondir"))
            ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim()))
            : gitDir;
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

    /// <summary>The folder of the work tree that holds <paramref name="startDirectory"/>, or null outside git.</summary>
    public static string? WorkTree(string startDirectory)
    {
        for (DirectoryInfo? dir = new(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".git")) || Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// The URL of the remote <c>origin</c>, without any user name or password it carries (they are secrets), or null
    /// when the work tree has none.
    /// </summary>
    public static string? Origin(string startDirectory)
    {
        string? root = WorkTree(startDirectory);
        string config = root is null ? string.Empty : Path.Combine(root, ".git", "config");
        if (!File.Exists(config))
        {
            return null;
        }

        bool inOrigin = false;
        foreach (string raw in File.ReadLines(config))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inOrigin = line.Replace(" ", string.Empty, StringComparison.Ordinal) == "[remote\"origin\"]";
            }
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                string url = line[(equals + 1)..].Trim();
                return Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.UserInfo.Length > 0
                    ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
                    : url;
            }
        }

        return null;
    }
}
