using System.Reflection;
using Microsoft.Build.Framework;
using MultiArchContainers.Oci.Attest;

namespace MultiArchContainers.Tasks;

/// <summary>
/// ContainerSbom and ContainerProvenance of a task that makes images, with the MSBuild facts the statements are made
/// of, given as items: Include the name, <c>Value</c> the value (AssetsFile, TargetFramework, SelfContained,
/// ProjectPath, Configuration, SdkVersion, AssemblyName, Version, BaseImage).
/// </summary>
public sealed class AttestationSettings
{
    public bool Sbom { get; set; }

    public bool Provenance { get; set; }

    public ITaskItem[] Facts { get; set; } = [];

    /// <summary>The request for images named <paramref name="imageName"/>, or null when neither statement is asked for.</summary>
    public AttestationRequest? Request(string imageName, DateTimeOffset? time)
    {
        if (!Sbom && !Provenance)
        {
            return null;
        }

        string Fact(string name) => Facts.FirstOrDefault(f => f.ItemSpec.Equals(name, StringComparison.OrdinalIgnoreCase))?.GetMetadata(ItemMetadata.Value) ?? string.Empty;
        string project = Fact("ProjectPath");
        string directory = project.Length > 0 ? Path.GetDirectoryName(Path.GetFullPath(project))! : Environment.CurrentDirectory;
        string? workTree = GitRevision.WorkTree(directory);
        string tool = typeof(AttestationSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        var facts = new BuildFacts
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
        return new AttestationRequest(Sbom, Provenance, facts)
        {
            AssetsFile = Fact("AssetsFile"),
            SelfContained = Fact("SelfContained").Equals("true", StringComparison.OrdinalIgnoreCase),
        };
    }
}
