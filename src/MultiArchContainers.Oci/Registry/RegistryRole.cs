namespace MultiArchContainers.Oci.Registry;

/// <summary>What a registry is to a publish, which decides the environment credentials it gets, as the .NET SDK does.</summary>
public enum RegistryRole
{
    /// <summary>The registry pushed to: <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c>, then <c>DOTNET_CONTAINER_REGISTRY_*</c>, then <c>SDK_CONTAINER_REGISTRY_*</c>.</summary>
    Push,

    /// <summary>A registry only read from (a base image, a merge source elsewhere): <c>DOTNET_CONTAINER_PULL_REGISTRY_*</c> only.</summary>
    Pull,
}
