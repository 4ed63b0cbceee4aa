using MultiArchContainers.Oci.Attest;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Incremental;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Plan;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>One per-RID image archive a build wrote, by RID.</summary>
internal sealed record PlatformArchive(string RuntimeIdentifier, string Path);
