using MultiArchContainers.Oci.Push.Engine;

namespace MultiArchContainers.Tasks;

/// <summary>
/// A publish with no registry and no archive goes to the local container engine: finds it before anything is built
/// (<see cref="LocalEngine.FindAsync"/>), so a machine without one fails at once, naming the three ways out.
/// </summary>
public sealed class FindLocalEngine : MultiArchTask
{
    /// <summary>The SDK's LocalRegistry property: Docker, Podman, or empty for whichever is installed.</summary>
    public string LocalRegistry { get; set; } = string.Empty;

    /// <summary>docker or podman.</summary>
    [Output]
    public string Engine { get; private set; } = string.Empty;

    /// <summary>The engine's version.</summary>
    [Output]
    public string EngineVersion { get; private set; } = string.Empty;

    /// <summary>Whether the engine keeps every platform of an index (<see cref="LocalEngine.HoldsIndexes"/>).</summary>
    [Output]
    public bool HoldsIndexes { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        LocalEngine engine = await LocalEngine.FindAsync(LocalRegistry, new EngineCli(), cancellationToken).ConfigureAwait(false);
        (Engine, EngineVersion, HoldsIndexes) = (engine.Program, engine.Version, engine.HoldsIndexes);
        Detail(MessageImportance.Normal, $"No registry and no archive: the image index goes to {engine.Kind} {engine.Version} on this machine.");
    }
}
