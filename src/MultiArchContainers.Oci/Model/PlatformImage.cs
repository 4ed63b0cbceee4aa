namespace MultiArchContainers.Oci.Model;

/// <summary>
/// One image of an index: its <see cref="Label"/> and its manifest descriptor, platform included.
/// </summary>
/// <param name="Label">
/// Who the image is for, for people and for matching per-RID settings: the RID it was built for; for an image that
/// came from elsewhere (a merge source) its platform or the name it was given; for an attestation manifest, the label
/// of the image it describes followed by <c>/attestation</c> (<c>AttestationRequest.LabelFor</c> in Attest).
/// </param>
/// <param name="Manifest">The image's manifest descriptor, with its platform.</param>
internal sealed record PlatformImage(string Label, Descriptor Manifest)
{
    public Platform Platform => Manifest.Platform
        ?? throw new InvalidOperationException($"The image for '{Label}' has no platform.");

    /// <summary>An attestation manifest (platform unknown/unknown), kept beside the image it describes.</summary>
    public bool IsAttestation => Manifest.IsAttestation;
}
