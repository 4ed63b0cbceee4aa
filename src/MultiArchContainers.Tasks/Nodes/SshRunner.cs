using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// Runs commands on a node with the system OpenSSH client, so the user's ssh config, agent and known_hosts apply.
/// Always BatchMode (never a prompt). Host keys are checked unless the project opted out for throwaway hosts.
/// </summary>
internal sealed class SshRunner
{
    private readonly bool _acceptUnknownHostKeys;

    private const string NotInstalled = "the OpenSSH client 'ssh' is not installed on this machine";

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
    public Task<SshResult> RunAsync(BuildNode node, string command, Func<Stream, Task>? input, Action<string>? onLine, TimeSpan timeout, CancellationToken cancellationToken, bool holdInput = false) =>
        RunAsync(new ChildProcessStart("ssh", [.. Arguments(node), command])
        {
            Input = input is null ? null : (stream, _) => input(stream),
            HoldInput = holdInput,
            OnLine = onLine ?? (_ => { }),
            Timeout = timeout,
        }, cancellationToken);

    /// <summary>
    /// Wraps a remote command so that it ends when the connection does: a watcher waits for the end of standard input
    /// (ssh gone: Ctrl+C, a timeout, a lost network) and then terminates the command's whole process group.
    /// </summary>
    public static string EndWithConnection(string command) =>
        "set -m; ( " + command + " ) & job=$!; ( cat >/dev/null; kill -TERM -$job 2>/dev/null ) & watch=$!; "
        + "wait $job; status=$?; kill $watch 2>/dev/null; exit $status";

    /// <summary>Runs <paramref name="command"/> and writes its standard output, as bytes, to <paramref name="path"/>.</summary>
    public Task<SshResult> RunToFileAsync(BuildNode node, string command, string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(new ChildProcessStart("ssh", [.. Arguments(node), command])
        {
            Output = async (stream, token) =>
            {
                await using FileStream file = File.Create(path);
                await stream.CopyToAsync(file, token).ConfigureAwait(false);
            },
            Timeout = timeout,
        }, cancellationToken);

    private static async Task<SshResult> RunAsync(ChildProcessStart ssh, CancellationToken cancellationToken)
    {
        ChildProcessResult? result = await ChildProcess.RunAsync(ssh, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            // As a shell says it: the callers report the node unreachable (MAC3002) with this reason.
            return new SshResult(127, string.Empty, NotInstalled);
        }

        // Standard output is empty where the start sent it elsewhere (a file).
        return result.End == ChildProcessEnd.TimedOut
            ? throw new TimeoutException($"no answer within {ssh.Timeout}")
            : new SshResult(result.ExitCode, result.Output, result.Error);
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
