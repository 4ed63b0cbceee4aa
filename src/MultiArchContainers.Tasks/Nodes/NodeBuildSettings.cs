namespace MultiArchContainers.Tasks.Nodes;

/// <summary>What the node builds of one publish share.</summary>
/// <param name="SourceRoot">The folder sent to every node.</param>
/// <param name="ProjectPath">The project file.</param>
/// <param name="PackagePath">This SDK's .nupkg, sent along.</param>
/// <param name="WorkingDirectory">Where images sent back as archives are received.</param>
/// <param name="Properties">MSBuild properties for every node's build.</param>
/// <param name="Environment">Environment variables for every node's build.</param>
/// <param name="Registry">Where a node's image sent back as an archive is pushed (ContainerRegistry).</param>
/// <param name="Repository">The repository there (ContainerRepository).</param>
internal sealed record NodeBuildSettings(
    string SourceRoot,
    string ProjectPath,
    string PackagePath,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyDictionary<string, string> Environment,
    string Registry,
    string Repository);
