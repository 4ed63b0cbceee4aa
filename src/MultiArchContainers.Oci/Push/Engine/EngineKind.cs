namespace MultiArchContainers.Oci.Push.Engine;

/// <summary>The local container engines an image can be loaded into.</summary>
internal enum EngineKind
{
    Docker,
    Podman,
}
