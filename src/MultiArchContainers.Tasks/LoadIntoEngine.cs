using MultiArchContainers.Oci.Push.Engine;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Loads the index a publish wrote into its OCI archive into the local container engine <see cref="FindLocalEngine"/>
/// found, under every tag (<see cref="EngineLoader"/>).
/// </summary>
public sealed class LoadIntoEngine : MultiArchTask
{
    /// <summary>The OCI archive holding the index and its images.</summary>
    [Required]
    public string ArchivePath { get; set; } = string.Empty;

    /// <summary>docker or podman, as FindLocalEngine found it.</summary>
    [Required]
    public string Engine { get; set; } = string.Empty;

    public string EngineVersion { get; set; } = string.Empty;

    public bool HoldsIndexes { get; set; }

    [Required]
    public string Repository { get; set; } = string.Empty;

    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>A folder of this publish for the archives handed to the engine.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>The names the index has in the engine (repository:tag).</summary>
    [Output]
    public string[] Names { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var engine = new LocalEngine(Engine == "podman" ? EngineKind.Podman : EngineKind.Docker, EngineVersion, HoldsIndexes);
        string folder = Path.Combine(WorkingDirectory, "engine");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        try
        {
            var loader = new EngineLoader(engine, new EngineCli(), Report, line => Detail(MessageImportance.Normal, line));
            Names = [.. await loader.LoadAsync(ArchivePath, Repository, Tags, folder, cancellationToken).ConfigureAwait(false)];
            Detail(MessageImportance.Normal, $"Loaded the image index into {engine.Kind} {engine.Version} as {string.Join(", ", Names)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
