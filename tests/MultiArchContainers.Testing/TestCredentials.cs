namespace MultiArchContainers.Testing;

/// <summary>A throwaway user for the registries the tests start with basic auth.</summary>
public static class TestCredentials
{
    public const string User = "tester";
    public const string Password = "s3cret-pw";

    /// <summary><c>user:password</c>, as skopeo's --creds takes it.</summary>
    public const string Pair = User + ":" + Password;

    /// <summary>The htpasswd line (bcrypt of <see cref="Password"/>) that docker-registry reads.</summary>
    public const string HtpasswdLine = "tester:$2b$05$uwMXwCYt2IBxTzIUw54R0eBGYZxef0nxUuMYNaLjbE7yXVBHXvpf.";
}
