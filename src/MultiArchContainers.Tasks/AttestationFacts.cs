using System.Reflection;
using MultiArchContainers.Oci.Collect.Attest;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The MSBuild facts the SBOM and provenance are made of, given to a task as items: Include the name, <c>Value</c> the
/// value (AssetsFile, TargetFramework, SelfContained, ProjectPath, Configuration, SdkVersion, AssemblyName, Version,
/// BaseImage); and the git facts found from the project's folder.
/// </summary>
internal static class AttestationFacts
{
    /// <summary>The request for images named <paramref name="imageName"/>, or null when neither statement is asked for.</summary>
    public static AttestationRequest? Request(bool sbom, bool provenance, ITaskItem[] facts, string imageName, DateTimeOffset? time)
    {
        if (!sbom && !provenance)
        {
            return null;
        }

        string Fact(string name) => facts.FirstOrDefault(f => f.ItemSpec.Equals(name, StringComparison.OrdinalIgnoreCase))?.GetMetadata(ItemMetadata.Value) ?? string.Empty;
        string project = Fact("ProjectPath");
        string directory = project.Length > 0 ? Path.GetDirectoryName(Path.GetFullPath(project))! : Environment.CurrentDirectory;
        string? workTree = GitRevision.WorkTree(directory);
        string tool = typeof(AttestationFacts).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        var buildFacts = new BuildFacts
        {
            ImageName = imageName,
            RuntimeIdentifier = string.Empty,
            Platform = new Platform(),
            Time = time ?? DateTimeOffset.UtcNow,
            ToolVersion = tool,
            SdkVersion = Fact("SdkVersion"),
            ProjectPath = project.Length == 0 ? string.Empty : Path.GetRelativePath(workTree ?? directory, Path.GetFullPath(project)).Replace('\\', '/'),
            Configuration = Fact("Configuration"),
            TargetFramework = Fact("TargetFramework"),
            ApplicationName = Fact("AssemblyName"),
            ApplicationVersion = Fact("Version"),
            BaseImage = Fact("BaseImage"),
            SourceRepository = GitRevision.Origin(directory) ?? string.Empty,
            SourceCommit = GitRevision.Find(directory) ?? string.Empty,
        };
        return new AttestationRequest(sbom, provenance, buildFacts)
        {
            AssetsPath = Fact("AssetsFile"),
            SelfContained = Fact("SelfContained").Equals("true", StringComparison.OrdinalIgnoreCase),
            Artifact = Fact("AttestationArtifact").Equals("true", StringComparison.OrdinalIgnoreCase),
        };
    }
}
