namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// The projects a project is built with, as its last restore saw them: every project it references, directly or
/// through another one, from the assets file NuGet wrote (<c>libraries</c> of type <c>project</c>), and the NuGet
/// configuration files that restore read.
/// </summary>
internal static class ProjectClosure
{
    /// <summary>Full paths of the referenced project files and of the NuGet config files; null when the file cannot be read.</summary>
    public static (IReadOnlyList<string> Projects, IReadOnlyList<string> ConfigFiles)? FromAssets(string assetsFile, string projectDirectory)
    {
        var projects = new List<string>();
        var configs = new List<string>();
        try
        {
            using JsonDocument assets = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
            if (assets.RootElement.TryGetProperty("libraries", out JsonElement libraries) && libraries.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty library in libraries.EnumerateObject())
                {
                    if (library.Value.ValueKind == JsonValueKind.Object
                        && library.Value.TryGetProperty("type", out JsonElement type) && type.ValueEquals("project")
                        && (library.Value.TryGetProperty("msbuildProject", out JsonElement path) || library.Value.TryGetProperty("path", out path))
                        && path.GetString() is { Length: > 0 } relative)
                    {
                        projects.Add(Path.GetFullPath(Path.Combine(projectDirectory, relative)));
                    }
                }
            }

            if (assets.RootElement.TryGetProperty("project", out JsonElement project)
                && project.TryGetProperty("restore", out JsonElement restore)
                && restore.TryGetProperty("configFilePaths", out JsonElement files) && files.ValueKind == JsonValueKind.Array)
            {
                configs.AddRange(files.EnumerateArray().Select(f => f.GetString()).OfType<string>().Select(Path.GetFullPath));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            // No assets file: nothing proves the references unchanged.
            return null;
        }

        return (projects, configs);
    }
}
