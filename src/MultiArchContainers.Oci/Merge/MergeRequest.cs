using MultiArchContainers.Oci.Annotations;

namespace MultiArchContainers.Oci.Merge;

/// <summary>What MergeMultiArch asks for.</summary>
internal sealed record MergeRequest
{
    /// <summary>Metadata files, image references (registry/repo:tag or @digest), indexes, OCI archives (PATH[:TAG]).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The registry of the merged index; may be empty when writing an archive.</summary>
    public string Registry { get; init; } = string.Empty;

    public string Repository { get; init; } = string.Empty;

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Add to the index at the first tag; a source for a platform it has replaces that platform.</summary>
    public bool Append { get; init; }

    /// <summary>Show the index that would be pushed and touch nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Also tag every image on its own (ContainerPlatformTags).</summary>
    public bool PlatformTags { get; init; }

    /// <summary>Keep only these platforms (os/arch[/variant]); empty keeps all.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [];

    /// <summary>When set, the merged index and every image go into this OCI archive instead of the registry.</summary>
    public string ArchiveOutputPath { get; init; } = string.Empty;

    /// <summary>Every annotation declaration, generated ones included.</summary>
    public IReadOnlyList<AnnotationInput> Annotations { get; init; } = [];

    /// <summary>Docker media types, which cannot carry annotations.</summary>
    public bool DockerFormat { get; init; }
}
