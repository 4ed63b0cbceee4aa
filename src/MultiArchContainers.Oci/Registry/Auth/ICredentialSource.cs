namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>Supplies credentials for a registry host, or null for anonymous access.</summary>
internal interface ICredentialSource
{
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
