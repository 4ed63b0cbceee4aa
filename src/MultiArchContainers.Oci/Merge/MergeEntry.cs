namespace MultiArchContainers.Oci.Merge;

/// <summary>
/// One manifest a merge takes over: where it lives now and its descriptor (platform included). <see cref="Label"/>
/// names it in messages and annotation qualifiers: the RID when known, else the platform.
/// </summary>
internal sealed record MergeEntry(string Source, string Registry, string Repository, Descriptor Manifest, string Label)
{
    /// <summary>For a source that is an OCI archive: the unpacked layout holding the blobs; else null.</summary>
    public string? LayoutRoot { get; init; }

    /// <summary>The manifest's bytes when resolving the source read them already (verified); else null.</summary>
    public byte[]? ManifestBytes { get; init; }

    public bool IsAttestation => Manifest.IsAttestation;

    /// <summary>The image an attestation describes (<c>vnd.docker.reference.digest</c>), if any.</summary>
    public string? AttestedDigest => Manifest.AttestedDigest;
}
