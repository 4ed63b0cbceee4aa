namespace MultiArchContainers.IntegrationTests;

/// <summary>Finds this repository's files from the test's output folder.</summary>
internal static class RepositoryLayout
{
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MultiArchContainers.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No MultiArchContainers.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Where ./build.sh pack writes the SDK package and the multiarch tool's packages.</summary>
    public static string PackagesFolder => Path.Combine(Root, "artifacts", "packages");

    /// <summary>The newest packed SDK package and its version; ./build.sh test packs it before the tests run.</summary>
    public static (string Path, string Version) FindSdkPackage()
    {
        string folder = PackagesFolder;
        FileInfo? newest = Directory.Exists(folder)
            ? new DirectoryInfo(folder).GetFiles("MultiArchContainers.Sdk.*.nupkg").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
            : null;
        if (newest is null)
        {
            throw new InvalidOperationException($"No MultiArchContainers.Sdk package in {folder}. Run ./build.sh pack (./build.sh test does it) first.");
        }

        string version = newest.Name["MultiArchContainers.Sdk.".Length..^".nupkg".Length];
        return (newest.FullName, version);
    }
}
