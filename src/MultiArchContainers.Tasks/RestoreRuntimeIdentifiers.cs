using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Restores the project for a list of runtime identifiers in a separate <c>dotnet restore</c>. Used when this SDK
/// comes in as a PackageReference: NuGet does not import a package's build files while restoring, so the container
/// RIDs never reached the restore that ran before the build.
/// </summary>
public sealed class RestoreRuntimeIdentifiers : MultiArchTask
{
    /// <summary>The project to restore.</summary>
    [Required]
    public string ProjectPath { get; set; } = string.Empty;

    /// <summary>Every RID the restore must cover (the project's own and the container RIDs).</summary>
    [Required]
    public string[] RuntimeIdentifiers { get; set; } = [];

    /// <summary>
    /// Where this restore writes its assets file (MSBuildProjectExtensionsPath). A folder of its own, because the
    /// build that runs this task has already read, and cached, the project's usual assets file.
    /// </summary>
    [Required]
    public string ExtensionsPath { get; set; } = string.Empty;

    /// <summary>The dotnet executable (MSBuild's DOTNET_HOST_PATH); <c>dotnet</c> from PATH when empty.</summary>
    public string DotnetPath { get; set; } = string.Empty;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        string rids = string.Join(';', RuntimeIdentifiers.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal));
        // MSBuild's own command-line parser keeps a quoted value with ';' as one property.
        string dotnet = DotnetPath.Length > 0 ? DotnetPath : "dotnet";
        ChildProcessResult? restore = await ChildProcess.RunAsync(new ChildProcessStart(dotnet,
            ["restore", ProjectPath, "-nologo", "-v:q", $"-p:RuntimeIdentifiers=\"{rids}\"", $"-p:MSBuildProjectExtensionsPath={ExtensionsPath}"])
        {
            Timeout = TimeSpan.FromMinutes(30),
        }, cancellationToken).ConfigureAwait(false);
        if (restore is not { Succeeded: true })
        {
            string log = restore is null ? $"{dotnet} could not be started"
                : restore.End == ChildProcessEnd.TimedOut ? "it did not finish within 30 minutes and was ended"
                : (restore.Output + restore.Error).Trim();
            Report(Diagnostic.Error(MessageIds.RestoreFailed, rids, ProjectPath, log));
        }
    }
}
