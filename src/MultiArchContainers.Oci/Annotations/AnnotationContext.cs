namespace MultiArchContainers.Oci.Annotations;

/// <summary>What the resolution checks besides the declarations themselves.</summary>
internal sealed record AnnotationContext(IReadOnlyList<(string Rid, Platform Platform)> Platforms)
{
    /// <summary>Whether the output is an OCI archive (the only place index-descriptor annotations can go).</summary>
    public bool ArchiveOutput { get; init; }

    /// <summary>Whether the user asked for Docker media types, which cannot carry annotations.</summary>
    public bool DockerFormat { get; init; }
}
