using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// The folder whose files travel to the build nodes. By default the repository the project is in (the nearest folder
/// above it holding a <c>.git</c> folder or file), so project references, Directory.Build.props, global.json and
/// nuget.config above the project arrive too; the project's own folder when it is in no repository.
/// </summary>
internal static class NodeSources
{
    /// <summary>The folder to send, or null with <paramref name="problem"/> saying what is wrong with <paramref name="configured"/>.</summary>
    public static string? ResolveRoot(string projectDirectory, string configured, out string? problem)
    {
        problem = null;
        string project = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        if (string.IsNullOrWhiteSpace(configured))
        {
            for (string? folder = project; folder is not null; folder = Path.GetDirectoryName(folder))
            {
                string marker = Path.Combine(folder, ".git");
                if (Directory.Exists(marker) || File.Exists(marker))
                {
                    return folder;
                }
            }

            return project;
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(configured.Trim(), project));
        if (!Directory.Exists(root))
        {
            problem = "is not an existing folder";
            return null;
        }

        string relative = Path.GetRelativePath(root, project);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            problem = "does not contain the project";
            return null;
        }

        return root;
    }

    /// <summary>The project file's path below <paramref name="root"/>, with '/' separators, as the node sees it.</summary>
    public static string RelativeProjectPath(string root, string projectPath) =>
        Path.GetRelativePath(root, Path.GetFullPath(projectPath)).Replace('\\', '/');

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "bin", "obj", ".git", ".vs" };

    /// <summary>
    /// The files to send below <paramref name="root"/>: in a git repository the files git knows or would add (what
    /// .gitignore leaves out stays here, build outputs included); else every file. Never anything inside a bin, obj,
    /// .git or .vs folder.
    /// </summary>
    public static IEnumerable<string> Files(string root)
    {
        IEnumerable<string> files = GitFiles(root) ?? WalkFiles(root);
        return files.Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(Skipped.Contains));
    }

    private static IEnumerable<string> WalkFiles(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            yield return file;
        }

        foreach (string child in Directory.EnumerateDirectories(folder).Where(d => !Skipped.Contains(Path.GetFileName(d))))
        {
            foreach (string file in WalkFiles(child))
            {
                yield return file;
            }
        }
    }

    /// <summary>Tracked and untracked-but-not-ignored files below <paramref name="root"/>; null when git cannot say.</summary>
    private static List<string>? GitFiles(string root)
    {
        ChildProcessResult? git = ChildProcess.Run(new ChildProcessStart("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "."])
        {
            WorkingDirectory = root,
            Timeout = TimeSpan.FromMinutes(2),
        });
        if (git is not { Succeeded: true })
        {
            // No git on this machine, or git cannot say: every file is sent.
            return null;
        }

        // Deleted but still tracked files are listed too; only what exists is sent.
        return git.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(relative => Path.GetFullPath(Path.Combine(root, relative)))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
