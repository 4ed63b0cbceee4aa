using System.Text;
using MultiArchContainers.Oci.Merge;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The fan-in half of a CI matrix (<see cref="ImageMerger"/>): per-platform images from metadata files, image
/// references, indexes or OCI archives become one index with the same annotation model as PublishMultiArch.
/// </summary>
public sealed class MergeImageIndex : AnnotatingTask
{
    /// <summary>Metadata files, image references (registry/repo:tag or @digest), indexes or OCI archives.</summary>
    [Required]
    public string[] Sources { get; set; } = [];

    /// <summary>The registry of the merged index (host[:port]); not needed when writing an archive.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository of the merged index.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Every tag of the merged index.</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>Add to the index at the first tag; a source for a platform it has replaces that platform.</summary>
    public bool Append { get; set; }

    /// <summary>Print the index that would be pushed and touch nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>Also tag every image on its own as &lt;tag&gt;-&lt;rid or platform&gt; (ContainerPlatformTags).</summary>
    public bool PlatformTags { get; set; }

    /// <summary>Keep only these platforms (os/arch[/variant]); empty keeps all.</summary>
    public string[] Platforms { get; set; } = [];

    /// <summary>When set, the merged index and every image go into this OCI archive instead of the registry.</summary>
    public string ArchiveOutputPath { get; set; } = string.Empty;

    /// <summary>The images keep the manifests they were built with: generated values go on the index only.</summary>
    protected override bool GenerateForManifests => false;

    /// <summary>The pushed index (not set for a dry run).</summary>
    [Output]
    public ITaskItem? PublishedIndex { get; private set; }

    /// <summary>The images of the pushed index in its order, for the Report stage.</summary>
    [Output]
    public ITaskItem[] Images { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        ReportDeprecatedVariables();
        var request = new MergeRequest
        {
            Sources = Sources,
            Registry = Registry,
            Repository = Repository,
            Tags = Tags,
            Append = Append,
            DryRun = DryRun,
            PlatformTags = PlatformTags,
            Platforms = Platforms,
            ArchiveOutputPath = ArchiveOutputPath,
            Annotations = AllAnnotations(),
            DockerFormat = DockerFormat,
        };
        if (Log.HasLoggedErrors)
        {
            return;
        }

        using var clients = ClientPool(Registry, RegistryClientPool.NamedBy(Sources));
        DirectoryInfo workingDirectory = Directory.CreateTempSubdirectory("multiarch-merge-");
        try
        {
            MergeResult? result = await new ImageMerger(clients.For, workingDirectory.FullName, Report, Info).MergeAsync(request, cancellationToken).ConfigureAwait(false);
            if (result is { Published: null })
            {
                Info(OutcomeLines.DryRun(Tags.Select(tag => $"{Registry}/{Repository}:{tag}")));
                Info(Encoding.UTF8.GetString(OciJson.Serialize(result.Index)));
            }
            else if (result is { Published: { } published })
            {
                if (result.ArchivePath is { } path)
                {
                    Info(OutcomeLines.ArchiveWritten(published, Tags, path));
                }

                PublishedIndex = PublishedIndexItems.ToItem(published, Repository, Tags, registry: result.ArchivePath is null ? Registry : null, archivePath: result.ArchivePath);
                Images = published.Images.Select(image => PlatformImageItems.ToItem(image)).ToArray();
            }
        }
        finally
        {
            workingDirectory.Delete(recursive: true);
        }
    }
}
