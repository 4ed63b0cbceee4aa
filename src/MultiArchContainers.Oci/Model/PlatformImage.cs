namespace MultiArchContainers.Oci.Model;

/// <summary>
/// One image of an index: the RID it was built for (or, when it came from elsewhere, a label such as its platform)
/// and its manifest descriptor, platform included.
/// </summary>
internal sealed record PlatformImage(string RuntimeIdentifier, Descriptor Manifest)
{
    public Platform Platform => Manifest.Platform
        ?? throw new InvalidOperationException($"The image for '{RuntimeIdentifier}' has no platform.");

    /// <summary>An attestation manifest (platform unknown/unknown), kept beside the image it describes.</summary>
    public bool IsAttestation => Manifest.IsAttestation;
}
