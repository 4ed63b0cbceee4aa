namespace MultiArchContainers.Tasks;

/// <summary>
/// The Plan stage (<see cref="PublishPlanner"/>): checks a multi-arch publish before anything is built and writes
/// the plan (platforms and resolved annotations) for the later stages.
/// </summary>
public sealed class PlanMultiArch : AnnotatingTask
{
    /// <summary>The runtime identifiers to publish, in the order the index lists them.</summary>
    [Required]
    public string[] RuntimeIdentifiers { get; set; } = [];

    /// <summary>Whether the output is an OCI archive rather than a registry.</summary>
    public bool ArchiveOutput { get; set; }

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

    /// <summary>Where the plan is written as JSON for the later stages; nothing is written when empty.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>The digest <see cref="BaseImage"/> named when the plan read it; empty when not read.</summary>
    [Output]
    public string BaseDigest { get; private set; } = string.Empty;

    /// <summary>One item per runtime identifier, with <c>Platform</c> metadata.</summary>
    [Output]
    public ITaskItem[] Platforms { get; private set; } = [];

    /// <summary>ContainerSigningKey: checked here, before anything is built, so a key that cannot sign fails at once.</summary>
    public string SigningKey { get; set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        ReportDeprecatedVariables();
        if (SigningKey.Length > 0)
        {
            try
            {
                Oci.Push.Sign.SigningKey.Load(SigningKey, Environment.GetEnvironmentVariable).Dispose();
            }
            catch (MultiArchException ex)
            {
                Report(ex.Diagnostic);
            }
        }

        var request = new PlanRequest
        {
            RuntimeIdentifiers = RuntimeIdentifiers,
            Registry = Registry,
            Repository = Repository,
            BaseImage = BaseImage,
            Tags = Tags,
            PlatformTags = PlatformTags,
            ArchiveOutput = ArchiveOutput,
            DockerFormat = DockerFormat,
            Annotations = AllAnnotations(),
            Time = Time,
        };
        PublishPlan plan = await new PublishPlanner(registry => CreateClient(registry, Registry), Report).PlanAsync(request, cancellationToken).ConfigureAwait(false);
        BaseDigest = plan.BaseDigest?.ToString() ?? string.Empty;
        Platforms = plan.Platforms.Select(p =>
        {
            var item = new TaskItem(p.RuntimeIdentifier);
            item.SetMetadata(ItemMetadata.Platform, p.Platform.ToString());
            item.SetMetadata(ItemMetadata.PlatformBaseDigest, PlatformBaseDigest(p));
            return (ITaskItem)item;
        }).ToArray();
        if (PlanFile.Length > 0 && !Log.HasLoggedErrors)
        {
            PublishPlan.Write(PlanFile, plan);
        }
    }

    /// <summary>
    /// For a Windows RID, the digest of the base manifest the plan chose for its platform, which its build starts
    /// from: the .NET SDK maps windows/amd64 of a base image to the old RID win10-x64 and refuses win-x64 from the
    /// index, but builds from that manifest. Empty for other RIDs, whose builds pick their platform from the base
    /// image as named.
    /// </summary>
    private static string PlatformBaseDigest(PlannedPlatform planned) =>
        planned.Platform.Os == "windows" && planned.BaseManifest is { } manifest ? manifest.Digest.ToString() : string.Empty;
}
