using MultiArchContainers.Oci.Annotations;

namespace MultiArchContainers.Oci.Plan;

/// <summary>What a multi-arch publish asks for, as the project declared it.</summary>
internal sealed record PlanRequest
{
    /// <summary>The RIDs in the order the index lists them (blank and repeated entries are dropped).</summary>
    public IReadOnlyList<string> RuntimeIdentifiers { get; init; } = [];

    public string Registry { get; init; } = string.Empty;

    public string Repository { get; init; } = string.Empty;

    /// <summary>The full base image reference; its platforms must cover every RID. Empty skips the check.</summary>
    public string BaseImage { get; init; } = string.Empty;

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>ContainerPlatformTags: every &lt;tag&gt;-&lt;rid&gt; must be a valid tag.</summary>
    public bool PlatformTags { get; init; }

    /// <summary>An OCI archive instead of a registry: no registry needed.</summary>
    public bool ArchiveOutput { get; init; }

    /// <summary>Docker media types, which cannot carry annotations.</summary>
    public bool DockerFormat { get; init; }

    /// <summary>The time the images take; recorded in the plan when it makes them reproducible.</summary>
    public BuildTime? Time { get; init; }

    /// <summary>Every annotation declaration, generated ones included.</summary>
    public IReadOnlyList<AnnotationInput> Annotations { get; init; } = [];
}
