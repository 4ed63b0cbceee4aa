namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// What the SBOM and the provenance of one platform image say, gathered from MSBuild and the image itself. Nothing
/// here depends on the clock or on chance: <see cref="Time"/> follows the timestamp policy of the publish.
/// </summary>
internal sealed record BuildFacts
{
    /// <summary>The image's name without tag: registry/repository, or the repository alone for an archive.</summary>
    public required string ImageName { get; init; }

    public required string RuntimeIdentifier { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>The publish's time (SOURCE_DATE_EPOCH, the commit time of HEAD, or now).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>This package's version: the builder.</summary>
    public required string ToolVersion { get; init; }

    public string SdkVersion { get; init; } = string.Empty;

    /// <summary>The project file, relative to the repository root when there is one.</summary>
    public string ProjectPath { get; init; } = string.Empty;

    public string Configuration { get; init; } = string.Empty;

    public string TargetFramework { get; init; } = string.Empty;

    /// <summary>The application: its assembly name and version.</summary>
    public string ApplicationName { get; init; } = string.Empty;

    public string ApplicationVersion { get; init; } = string.Empty;

    public IReadOnlyList<NuGetPackage> Packages { get; init; } = [];

    public IReadOnlyList<ApplicationFile> Files { get; init; } = [];

    /// <summary>The base image reference and the digest of its manifest for this platform (or of its index).</summary>
    public string BaseImage { get; init; } = string.Empty;

    public Digest? BaseDigest { get; init; }

    /// <summary>The git repository (its origin, without credentials) and commit, when the project is in one.</summary>
    public string SourceRepository { get; init; } = string.Empty;

    public string SourceCommit { get; init; } = string.Empty;
}
