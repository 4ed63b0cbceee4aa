using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Testing;

/// <summary>The same credential (or none) for every registry, for clients in tests.</summary>
internal sealed class FixedCredentialSource(RegistryCredential? credential) : ICredentialSource
{
    public static FixedCredentialSource TestUser { get; } = new(new RegistryCredential(TestCredentials.User, TestCredentials.Password));

    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) => Task.FromResult(credential);
}
