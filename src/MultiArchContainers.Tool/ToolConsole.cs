namespace MultiArchContainers.Tool;

/// <summary>
/// Where the command writes: results on standard output, everything else (messages, coded errors and warnings,
/// progress) on standard error, all of it through <see cref="SafeText"/> but the exact documents (--raw, JSON). Progress shows only when standard error is a terminal, on one line that each
/// message clears first.
/// </summary>
internal sealed class ToolConsole
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private long _lastProgress = long.MinValue;
    private bool _progressShown;

    public ToolConsole(TextWriter output, TextWriter error, bool showProgress)
    {
        Output = output;
        Error = error;
        ShowProgress = showProgress;
    }

    /// <summary>The process's own streams; progress when standard error is not redirected.</summary>
    public static ToolConsole ForProcess() => new(Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected);

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool ShowProgress { get; }

    /// <summary>Whether an error was reported: the exit code is then 1.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>A coded error or warning, as <c>error MACnnnn: text</c>; other diagnostics are messages.</summary>
    public void Report(Diagnostic diagnostic)
    {
        string prefix = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error ",
            DiagnosticSeverity.Warning => "warning ",
            _ => string.Empty,
        };
        lock (_gate)
        {
            HasErrors |= diagnostic.Severity == DiagnosticSeverity.Error;
            ClearProgress();
            Error.WriteLine(SafeText.Escape(prefix.Length == 0 ? diagnostic.Text : $"{prefix}{diagnostic.Code}: {diagnostic.Text}"));
        }
    }

    /// <summary>A message; multi-line text line by line, every line through <see cref="SafeText"/>.</summary>
    public void Info(string message)
    {
        lock (_gate)
        {
            ClearProgress();
            foreach (string line in message.Split('\n'))
            {
                Error.WriteLine(SafeText.Escape(line.TrimEnd('\r')));
            }
        }
    }

    /// <summary>Shows <paramref name="text"/> in place of the last progress line, at most ten times a second.</summary>
    public void Progress(string text, bool final = false)
    {
        if (!ShowProgress)
        {
            return;
        }

        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (!final && now - _lastProgress < ProgressInterval.TotalMilliseconds)
            {
                return;
            }

            _lastProgress = now;
            Error.Write($"\r{SafeText.Escape(text)}\u001b[K");
            _progressShown = true;
        }
    }

    private void ClearProgress()
    {
        if (_progressShown)
        {
            Error.Write("\r\u001b[K");
            _progressShown = false;
        }
    }
}
