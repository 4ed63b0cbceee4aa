namespace MultiArchContainers.Tasks;

/// <summary>
/// Adds loopback registries to <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c> in this build process, so the .NET SDK's
/// image builder talks plain HTTP to a registry on this machine, as docker does and as this SDK's own client does.
/// Registries elsewhere are left alone: those need TLS or an explicit entry by the user.
/// </summary>
public sealed class TrustLoopbackRegistries : Microsoft.Build.Utilities.Task
{
    private const string Variable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary>Registry host[:port] names to consider.</summary>
    [Required]
    public string[] Registries { get; set; } = [];

    public override bool Execute()
    {
        var entries = (Environment.GetEnvironmentVariable(Variable) ?? string.Empty)
            .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        foreach (string registry in Registries.Where(Oci.Registry.RegistrySettings.IsLoopback))
        {
            if (!entries.Contains(registry, StringComparer.OrdinalIgnoreCase))
            {
                entries.Add(registry);
                Log.LogMessage(MessageImportance.Low, SafeText.Escape($"Treating the loopback registry '{registry}' as plain HTTP."));
            }
        }

        Environment.SetEnvironmentVariable(Variable, string.Join(';', entries));
        return !Log.HasLoggedErrors;
    }
}
