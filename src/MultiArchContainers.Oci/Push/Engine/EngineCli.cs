using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Oci.Push.Engine;

/// <summary>
/// Runs the command line of a local container engine (<c>docker</c>, <c>podman</c>): arguments as a list (never one
/// string through a shell), a time limit after which the command and its children end, and null when the program is
/// not on PATH.
/// </summary>
internal class EngineCli
{
    private readonly TimeSpan _timeout;

    public EngineCli(TimeSpan? timeout = null) => _timeout = timeout ?? TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="program"/>; null when it cannot be started (not installed).</summary>
    public virtual async Task<EngineResult?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Podman 4 refuses even a local 'manifest add' when DOCKER_CONFIG names a folder without config.json (it checks
        // the file as its auth file); such a folder holds no credentials, so the engine is run without it.
        string? config = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (config is { Length: > 0 } && !File.Exists(Path.Combine(config, "config.json")))
        {
            environment["DOCKER_CONFIG"] = null;
        }

        ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart(program, arguments) { Environment = environment, Timeout = _timeout }, cancellationToken).ConfigureAwait(false);
        return result is null ? null
            : result.End == ChildProcessEnd.TimedOut ? new EngineResult(-1, string.Empty, $"it did not finish within {_timeout.TotalSeconds:0} seconds and was ended")
            : new EngineResult(result.ExitCode, result.Output, result.Error);
    }
}
