using System.Diagnostics;
using System.Text;
using MultiArchContainers.Oci.Plan;

namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// Runs commands on a node with the system OpenSSH client, so the user's ssh config, agent and known_hosts apply.
/// Always BatchMode (never a prompt). Host keys are checked unless the project opted out for throwaway hosts.
/// </summary>
public sealed class SshRunner
{
    private readonly bool _acceptUnknownHostKeys;

    public SshRunner(bool acceptUnknownHostKeys) => _acceptUnknownHostKeys = acceptUnknownHostKeys;

    /// <summary>
    /// Runs <paramref name="command"/> (already shell-quoted) on <paramref name="node"/>. <paramref name="input"/>, when
    /// given, is written to the remote standard input; <paramref name="onLine"/> receives each output line as it comes.
    /// The remote process ends with the connection when the timeout or cancellation kills ssh.
    /// </summary>
    /// <remarks>
    /// <c>holdInput</c> keeps the remote standard input open until the command ends, for commands wrapped by
    /// <see cref="EndWithConnection"/>: killing ssh then closes it, and the wrapper ends the remote processes.
    /// </remarks>
    public async Task<SshResult> RunAsync(BuildNode node, string command, Func<Stream, Task>? input, Action<string>? onLine, TimeSpan timeout, CancellationToken cancellationToken, bool holdInput = false)
    {
        var start = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments(node))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(command);

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }

                onLine?.Invoke(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            if (input is not null)
            {
                await input(process.StandardInput.BaseStream).ConfigureAwait(false);
            }

            if (!holdInput)
            {
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            process.Kill(entireProcessTree: true);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {timeout}");
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        process.WaitForExit();
        return new SshResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Wraps a remote command so that it ends when the connection does: a watcher waits for the end of standard input
    /// (ssh gone: Ctrl+C, a timeout, a lost network) and then terminates the command's whole process group.
    /// </summary>
    public static string EndWithConnection(string command) =>
        "set -m; ( " + command + " ) & job=$!; ( cat >/dev/null; kill -TERM -$job 2>/dev/null ) & watch=$!; "
        + "wait $job; status=$?; kill $watch 2>/dev/null; exit $status";

    /// <summary>Runs <paramref name="command"/> and writes its standard output, as bytes, to <paramref name="path"/>.</summary>
    public async Task<SshResult> RunToFileAsync(BuildNode node, string command, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string argument in Arguments(node).Append(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        Task<string> stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await using (FileStream file = File.Create(path))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(file, limit.Token).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"no answer within {timeout}");
        }

        return new SshResult(process.ExitCode, string.Empty, await stderr.ConfigureAwait(false));
    }

    private IEnumerable<string> Arguments(BuildNode node)
    {
        yield return "-o";
        yield return "BatchMode=yes";
        yield return "-o";
        yield return "ConnectTimeout=15";
        yield return "-o";
        yield return "ServerAliveInterval=15";
        if (_acceptUnknownHostKeys)
        {
            yield return "-o";
            yield return "StrictHostKeyChecking=no";
            yield return "-o";
            yield return "UserKnownHostsFile=/dev/null";
            yield return "-o";
            yield return "LogLevel=ERROR";
        }

        if (node.IdentityFile.Length > 0)
        {
            yield return "-i";
            yield return node.IdentityFile;
        }

        if (node.Port is { } port)
        {
            yield return "-p";
            yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Nothing after "--" is an option, whatever the destination looks like.
        yield return "--";
        yield return node.User is null ? node.Host : $"{node.User}@{node.Host}";
    }
}
