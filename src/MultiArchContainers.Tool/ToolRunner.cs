using System.CommandLine;
using System.CommandLine.Parsing;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tool;

/// <summary>
/// Runs a command line: usage errors are MAC2025 with exit code 2; a command's known failures are its coded errors
/// and anything else is MAC4010 (a stack trace only with MULTIARCH_TRACE=1), with exit code 1; Ctrl+C ends with 130; success is 0.
/// </summary>
internal static class ToolRunner
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int UsageError = 2;
    public const int Canceled = 130;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, ToolConsole console)
    {
        // No response files: an argument "@x" is a source named "@x", never the words of a file x (a downloaded
        // artifact could otherwise add options, such as --dry-run, to a merge that globs its sources).
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? root.Name : $"{root.Name} {parsed.CommandResult.Command.Name}";
            foreach (ParseError error in parsed.Errors)
            {
                console.Report(Diagnostic.Error(MessageIds.ToolUsageInvalid, error.Message, command));
            }

            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Output, Error = console.Error }).ConfigureAwait(false);
    }

    /// <summary>Runs one command's work and turns its outcome into the exit code.</summary>
    public static async Task<int> RunAsync(string command, ToolConsole console, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        foreach (Diagnostic warning in UploadVariables.Deprecated(Environment.GetEnvironmentVariable))
        {
            console.Report(warning);
        }

        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        catch (MultiArchException ex)
        {
            console.Report(ex.Diagnostic);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Info($"multiarch {command}: canceled. Tags are written last, so no tag moved.");
            return Canceled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            console.Report(Diagnostic.Error(MessageIds.ToolUnexpectedFailure, $"multiarch {command}", $"{ex.GetType().Name}: {ex.Message}"));
            if (Environment.GetEnvironmentVariable("MULTIARCH_TRACE") == "1")
            {
                console.Info(ex.ToString());
            }
        }

        return console.HasErrors ? Failed : Success;
    }
}
