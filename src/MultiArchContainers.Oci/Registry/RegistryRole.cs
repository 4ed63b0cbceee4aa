namespace MultiArchContainers.Oci.Registry;

/// <summary>What a registry is to a publish, which decides the environment credentials it gets, as the .NET SDK does.</summary>
internal enum RegistryRole
{
    /// <summary>The registry pushed to: <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c>, then <c>DOTNET_CONTAINER_REGISTRY_*</c>, then <c>SDK_CONTAINER_REGISTRY_*</c>.</summary>
    Push,

    /// <summary>
    /// A registry only read from that the project or the command line names (a base image, a merge source given as a
    /// reference): <c>DOTNET_CONTAINER_PULL_REGISTRY_*</c> only.
    /// </summary>
    Pull,

    /// <summary>A registry that only a file names (a metadata file of a CI artifact): no credentials from the environment.</summary>
    NamedByFile,
}
