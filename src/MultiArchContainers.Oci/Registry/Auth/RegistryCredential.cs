namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>A user name and secret for one registry. <see cref="ToString"/> never shows the secret.</summary>
internal sealed record RegistryCredential(string UserName, string Secret)
{
    public override string ToString() => $"{UserName} (secret hidden)";
}
