namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// Which files a per-RID build can read, as far as they can be known before it runs: every file below the folder of
/// the project and of each project it references (their <c>bin</c> and <c>obj</c> folders and IDE folders aside),
/// the files MSBuild, NuGet and the compiler look for in every folder above them (<see cref="ProbeNames"/>, tracked
/// whether they exist or not), and the files the project's items name outside those folders.
/// </summary>
internal sealed class InputScope
{
    /// <summary>Files looked for in the folders above a project; a new one is a change.</summary>
    public static readonly IReadOnlyList<string> ProbeNames =
    [
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "Directory.Build.rsp",
        "global.json", "NuGet.Config", "nuget.config", "NuGet.config", ".editorconfig", ".globalconfig",
    ];

    /// <summary>Folders below a project that are never its inputs.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".vs", ".idea" };

    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj", ".proj"];

    /// <summary>Full paths of the project folders, walked whole.</summary>
    public IReadOnlyList<string> ProjectDirectories { get; init; } = [];

    /// <summary>Full paths of files or folders that are outputs (the publish's own metadata file, an archive): never read.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = [];

    /// <summary>Files outside the project folders that the project's items name.</summary>
    public IReadOnlyList<string> ExtraFiles { get; init; } = [];

    /// <summary>More files than this, or more bytes than <see cref="MaxBytes"/>, and nothing is proven: the build runs.</summary>
    public int MaxFiles { get; init; } = 50_000;

    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Every file to look at, sorted, and the linked folders found (as "path -> target": a linked folder is not walked,
    /// it could loop, but a moved link is a change). Null, with the reason, when there are more than the limits allow.
    /// </summary>
    public (IReadOnlyList<string> Files, IReadOnlyList<string> Links)? Walk(out string? tooMany)
    {
        tooMany = null;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var links = new SortedSet<string>(StringComparer.Ordinal);
        var excluded = Excluded.Select(p => Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar)).ToHashSet(StringComparer.Ordinal);
        long bytes = 0;
        var pending = new Stack<string>(ProjectDirectories.Select(p => Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar)).Distinct(StringComparer.Ordinal));
        var walked = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            if (!walked.Add(folder) || excluded.Contains(folder) || !Directory.Exists(folder))
            {
                continue;
            }

            var directory = new DirectoryInfo(folder);
            bool isProjectFolder = false;
            foreach (FileInfo file in directory.EnumerateFiles())
            {
                isProjectFolder |= ProjectExtensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase);
                if (!excluded.Contains(file.FullName) && files.Add(file.FullName))
                {
                    bytes += file.Length;
                }
            }

            if (files.Count > MaxFiles || bytes > MaxBytes)
            {
                tooMany = $"the project folders hold more than {MaxFiles} files or {MaxBytes >> 20} MiB";
                return null;
            }

            foreach (DirectoryInfo sub in directory.EnumerateDirectories())
            {
                if (SkippedFolders.Contains(sub.Name) || (isProjectFolder && sub.Name is "bin" or "obj"))
                {
                    continue;
                }

                if (sub.LinkTarget is { } target)
                {
                    links.Add($"{sub.FullName} -> {target}");
                }
                else
                {
                    pending.Push(sub.FullName);
                }
            }
        }

        foreach (string extra in ExtraFiles.Where(f => f.Length > 0).Select(Path.GetFullPath))
        {
            files.Add(extra);
        }

        foreach (string probe in Probes())
        {
            files.Add(probe);
        }

        return ([.. files], [.. links]);
    }

    /// <summary>The probe files of every folder above each project folder, whether they exist or not.</summary>
    private IEnumerable<string> Probes()
    {
        var above = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string project in ProjectDirectories)
        {
            for (DirectoryInfo? dir = new DirectoryInfo(project).Parent; dir is not null; dir = dir.Parent)
            {
                above.Add(dir.FullName);
            }
        }

        return above.SelectMany(dir => ProbeNames.Select(name => Path.Combine(dir, name)));
    }
}
