using System.Text.Json;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Checks a multi-arch publish before anything is built: the runtime identifiers and their platforms, the index
/// annotations, the target registry (reachable, credentials accepted) and that the base image offers every platform.
/// </summary>
public sealed class PlanMultiArch : AnnotatingTask
{
    /// <summary>The runtime identifiers to publish, in the order the index lists them.</summary>
    [Required]
    public string[] RuntimeIdentifiers { get; set; } = [];

    /// <summary>Whether the output is an OCI archive rather than a registry.</summary>
    public bool ArchiveOutput { get; set; }

    /// <summary>Every annotation at its place: Include key; metadata Level, RuntimeIdentifier, Value.</summary>
    [Output]
    public ITaskItem[] Annotations { get; private set; } = [];

    /// <summary>The registry the index is pushed to (host[:port]).</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository in that registry.</summary>
    public string Repository { get; set; } = string.Empty;

    /// <summary>The full base image reference; its platforms are checked against the runtime identifiers.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>The index tags; with <see cref="PlatformTags"/> each also names one tag per runtime identifier.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>ContainerPlatformTags: every &lt;tag&gt;-&lt;rid&gt; must be a valid tag, checked here before any build.</summary>
    public bool PlatformTags { get; set; }

    /// <summary>One item per runtime identifier, with <c>Platform</c> metadata.</summary>
    [Output]
    public ITaskItem[] Platforms { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        bool targetValid = true;
        if (string.IsNullOrWhiteSpace(Registry))
        {
            if (!ArchiveOutput)
            {
                Report(Diagnostic.Error(MessageIds.NoRegistry));
            }

            targetValid = false;
        }
        else if (!ImageReference.IsValidRegistry(Registry))
        {
            Report(Diagnostic.Error(MessageIds.InvalidReference, Registry, "ContainerRegistry", "expected host[:port]"));
            targetValid = false;
        }

        if (!ImageReference.IsValidRepository(Repository, out string? repositoryError))
        {
            Report(Diagnostic.Error(MessageIds.InvalidReference, Repository, "ContainerRepository", repositoryError));
            targetValid = false;
        }

        // Every RID that maps to a platform is still checked against the base image, so one run reports all problems.
        List<(string Rid, Platform Platform)> planned = PlanPlatforms();
        if (PlatformTags)
        {
            foreach (string tag in Tags.SelectMany(tag => planned.Select(p => IndexPublisher.PlatformTag(tag, p.Rid))).Where(tag => !ImageReference.IsValidTag(tag)))
            {
                Report(Diagnostic.Error(MessageIds.InvalidReference, tag, "platform tag", IndexPublisher.PlatformTagRule));
            }
        }

        ResolveAnnotations(planned);
        if (!targetValid && !ArchiveOutput)
        {
            Platforms = ToItems(planned);
            return;
        }

        // An archive needs no target registry; a push checks it before anything is built.
        if (!ArchiveOutput)
        {
            using var target = CreateClient(Registry);
            await target.PingAsync(cancellationToken).ConfigureAwait(false);
        }

        await CheckBasePlatformsAsync(planned, cancellationToken).ConfigureAwait(false);
        Platforms = ToItems(planned);
    }

    private void ResolveAnnotations(List<(string Rid, Platform Platform)> planned)
    {
        List<AnnotationInput> inputs = AllAnnotations();

        var context = new AnnotationContext(planned)
        {
            ArchiveOutput = ArchiveOutput,
            DockerFormat = DockerFormat,
        };
        AnnotationSet? set = Oci.Annotations.Resolve(inputs, context, Report);
        Annotations = set is null ? [] : ResolvedAnnotations.ToItems(set);
    }

    private List<(string Rid, Platform Platform)> PlanPlatforms()
    {
        var planned = new List<(string, Platform)>();
        string[] rids = RuntimeIdentifiers.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (rids.Length == 0)
        {
            Report(Diagnostic.Error(MessageIds.NoRuntimeIdentifiers));
            return planned;
        }

        foreach (string rid in rids)
        {
            Platform? platform = RuntimeIdentifierPlatforms.TryGetPlatform(rid);
            if (platform is null)
            {
                Report(Diagnostic.Error(MessageIds.UnknownRuntimeIdentifier, rid, string.Join(", ", RuntimeIdentifierPlatforms.Known)));
                continue;
            }

            foreach ((string otherRid, Platform other) in planned)
            {
                if (other.SameSlot(platform))
                {
                    Report(Diagnostic.Error(MessageIds.DuplicatePlatform, otherRid, rid, platform));
                }
            }

            planned.Add((rid, platform));
        }

        return planned;
    }

    private async Task CheckBasePlatformsAsync(List<(string Rid, Platform Platform)> planned, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(BaseImage))
        {
            return;
        }

        ImageReference? reference = ImageReference.TryParse(BaseImage, out string? error);
        if (reference is null || reference.Registry.Length == 0)
        {
            Report(Diagnostic.Error(MessageIds.InvalidReference, BaseImage, "ContainerBaseImage", error ?? "it names no registry"));
            return;
        }

        List<Platform> offered;
        try
        {
            using var client = CreateClient(reference.Registry);
            offered = await ReadPlatformsAsync(client, reference, cancellationToken).ConfigureAwait(false);
        }
        catch (MultiArchException ex)
        {
            Report(Diagnostic.Error(MessageIds.BaseImageUnreadable, BaseImage, ex.Diagnostic));
            return;
        }

        foreach ((string rid, Platform platform) in planned)
        {
            if (!offered.Any(p => p.SameSlot(platform) || (p.Os == platform.Os && p.Architecture == platform.Architecture && p.Variant is null)))
            {
                Report(Diagnostic.Error(MessageIds.PlatformNotInBaseImage, rid, platform, BaseImage, offered.Count == 0 ? "no platform" : string.Join(", ", offered)));
            }
        }
    }

    private static async Task<List<Platform>> ReadPlatformsAsync(RegistryClient client, ImageReference reference, CancellationToken cancellationToken)
    {
        ManifestContent manifest = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            ImageIndex index = OciJson.Deserialize<ImageIndex>(manifest.Content, "the base image index");
            return index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!).ToList();
        }

        if (!MediaTypes.IsImageManifest(manifest.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, reference.ToString(), manifest.MediaType);
        }

        ImageManifest image = OciJson.Deserialize<ImageManifest>(manifest.Content, "the base image manifest");
        byte[] configBytes = await client.GetBlobAsync(reference.Repository, image.Config.Digest, cancellationToken).ConfigureAwait(false);
        Platform? platform = OciJson.Deserialize<ImageConfig>(configBytes, "the base image config").ToPlatform();
        return platform is null ? [] : [platform];
    }

    private static ITaskItem[] ToItems(List<(string Rid, Platform Platform)> planned) =>
        planned.Select(p =>
        {
            var item = new TaskItem(p.Rid);
            item.SetMetadata(ItemMetadata.Platform, p.Platform.ToString());
            item.SetMetadata(ItemMetadata.PlatformJson, JsonSerializer.Serialize(p.Platform, OciJson.Options));
            return (ITaskItem)item;
        }).ToArray();
}
