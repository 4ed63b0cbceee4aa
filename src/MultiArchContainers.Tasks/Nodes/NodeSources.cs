namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// The folder whose files travel to the build nodes. By default the repository the project is in (the nearest folder
/// above it holding a <c>.git</c> folder or file), so project references, Directory.Build.props, global.json and
/// nuget.config above the project arrive too; the project's own folder when it is in no repository.
/// </summary>
public static class NodeSources
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
}
