namespace MultiArchContainers.Oci.Push;

/// <summary>One per-RID image archive a build wrote, by RID.</summary>
internal sealed record PlatformArchive(string RuntimeIdentifier, string Path);
