using System.ComponentModel;
using System.Diagnostics;

namespace MultiArchContainers.Oci.Engine;

/// <summary>What one engine command did: its exit code and its two outputs.</summary>
public sealed record EngineResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the command line of a local container engine (<c>docker</c>, <c>podman</c>): arguments as a list (never one
/// string through a shell), a time limit after which the command and its children end, and null when the program is
/// not on PATH.
/// </summary>
public class EngineCli
{
    private readonly TimeSpan _timeout;

    public EngineCli(TimeSpan? timeout = null) => _timeout = timeout ?? TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="program"/>; null when it cannot be started (not installed).</summary>
    public virtual async Task<EngineResult?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Podman 4 refuses even a local 'manifest add' when DOCKER_CONFIG names a folder without config.json (it checks
        // the file as its auth file); such a folder holds no credentials, so the engine is run without it.
        if (start.Environment.TryGetValue("DOCKER_CONFIG", out string? config) && config is { Length: > 0 } && !File.Exists(Path.Combine(config, "config.json")))
        {
            start.Environment.Remove("DOCKER_CONFIG");
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return new EngineResult(-1, string.Empty, $"it did not finish within {_timeout.TotalSeconds:0} seconds and was ended");
            }

            return new EngineResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}
