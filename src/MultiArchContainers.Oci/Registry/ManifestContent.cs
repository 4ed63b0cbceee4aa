namespace MultiArchContainers.Oci.Registry;

/// <summary>A manifest as read from a registry: its exact bytes, media type and verified digest.</summary>
internal sealed record ManifestContent(byte[] Content, string MediaType, Digest Digest);
