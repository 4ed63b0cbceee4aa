namespace MultiArchContainers.Oci.Annotations;

/// <summary>Where an annotation goes.</summary>
internal enum AnnotationLevel
{
    /// <summary>The image index itself.</summary>
    Index,

    /// <summary>Each per-platform image manifest (changes its bytes and digest).</summary>
    Manifest,

    /// <summary>The index's descriptor entry that points at a per-platform manifest.</summary>
    ManifestDescriptor,

    /// <summary>The descriptor of the index in an OCI archive's index.json.</summary>
    IndexDescriptor,
}
