using System.ComponentModel;
using System.Diagnostics;

namespace MultiArchContainers.Oci.Processes;

/// <summary>
/// The one way this project starts another program: both outputs read to the end while it runs (so it never blocks on
/// a full pipe), its whole process tree ended on the time limit or on cancellation, and null when it cannot be started
/// (not installed). Cancellation ends the child and then throws.
/// </summary>
internal static class ChildProcess
{
    /// <summary>For callers that cannot wait asynchronously (quick queries such as git's).</summary>
    public static ChildProcessResult? Run(ChildProcessStart request) =>
        RunAsync(request, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<ChildProcessResult?> RunAsync(ChildProcessStart request, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(request.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in request.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (request.WorkingDirectory is { } directory)
        {
            start.WorkingDirectory = directory;
        }

        foreach ((string name, string? value) in request.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
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
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(request.Timeout);
            var output = new StringBuilder();
            var error = new StringBuilder();
            // The readers stop at the end of the streams, which the child's end (or its killing) brings.
            Task reading = Task.WhenAll(
                request.Output is { } consumer ? consumer(process.StandardOutput.BaseStream, limit.Token) : ReadTextAsync(process.StandardOutput, output, request.OnLine),
                ReadTextAsync(process.StandardError, error, request.OnLine));
            ChildProcessEnd end = ChildProcessEnd.Exited;
            bool exited = false;
            try
            {
                if (request.Input is { } input)
                {
                    await input(process.StandardInput.BaseStream, limit.Token).ConfigureAwait(false);
                }

                if (!request.HoldInput)
                {
                    process.StandardInput.Close();
                }

                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                exited = true;
                await reading.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                Kill(process);
                cancellationToken.ThrowIfCancellationRequested();
                // A child that exited while a grandchild still held its outputs open ended by itself.
                end = ex is IOException ? ChildProcessEnd.InputClosed : exited ? ChildProcessEnd.Exited : ChildProcessEnd.TimedOut;
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                // A process that left the tree (a daemon it started) may still hold the outputs: what came is kept.
                await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            }

            lock (output)
            {
                lock (error)
                {
                    return new ChildProcessResult(end, end == ChildProcessEnd.Exited ? process.ExitCode : -1, output.ToString(), error.ToString());
                }
            }
        }
    }

    private static async Task ReadTextAsync(StreamReader reader, StringBuilder kept, Action<string>? onLine)
    {
        if (onLine is null)
        {
            string all = await reader.ReadToEndAsync().ConfigureAwait(false);
            lock (kept)
            {
                kept.Append(all);
            }

            return;
        }

        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (kept)
            {
                kept.AppendLine(line);
            }

            onLine(line);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
    }
}
