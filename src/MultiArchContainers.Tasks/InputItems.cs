namespace MultiArchContainers.Tasks;

/// <summary>The inputs of a publish (<see cref="PublishInputs"/>) from the items and properties the targets pass.</summary>
internal static class InputItems
{
    public static PublishInputs Inputs(string projectDirectory, string assetsFile, ITaskItem[] projectReferences, ITaskItem[] items, string[] outputs, string newestImport) => new()
    {
        ProjectDirectory = projectDirectory,
        AssetsFile = assetsFile,
        ProjectReferences = [.. projectReferences.Select(r => r.GetMetadata("FullPath"))],
        Items = [.. ItemText.DescribeStable(items)],
        ItemFiles = [.. items.Select(i => i.GetMetadata("FullPath"))],
        Outputs = outputs,
        // MSBuildAllProjects names the newest import first.
        NewestImport = newestImport.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0) ?? string.Empty,
    };
}
