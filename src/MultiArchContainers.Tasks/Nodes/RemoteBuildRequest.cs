namespace MultiArchContainers.Tasks.Nodes;

/// <summary>What a remote build needs besides the node.</summary>
/// <param name="RuntimeIdentifier">The RID the node builds.</param>
/// <param name="SourceRoot">The folder sent to the node.</param>
/// <param name="SourceFiles">The files below <paramref name="SourceRoot"/> that are sent (<see cref="NodeSources.Files"/>, listed once for every node).</param>
/// <param name="ProjectFile">The project file's path below <paramref name="SourceRoot"/>, '/'-separated.</param>
/// <param name="PackagePath">This SDK's .nupkg, sent along so the node needs only a .NET SDK.</param>
/// <param name="LocalFolder">Where an image sent back as an archive is received.</param>
/// <param name="Properties">MSBuild properties for the node's build.</param>
/// <param name="Environment">Environment variables for the node's build.</param>
internal sealed record RemoteBuildRequest(
    string RuntimeIdentifier,
    string SourceRoot,
    IReadOnlyList<string> SourceFiles,
    string ProjectFile,
    string PackagePath,
    string LocalFolder,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyDictionary<string, string> Environment);
