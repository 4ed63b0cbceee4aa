namespace MultiArchContainers.Oci.Push;

/// <summary>A per-RID image made ready: in the target repository, or kept in a layout folder (<see cref="LayoutRoot"/>) for an archive.</summary>
internal sealed record PreparedPlatformImage(PlatformImage Image, PlatformImage? Attestation, string? LayoutRoot = null);
