namespace MultiArchContainers.Oci.Processes;

/// <summary>A program to run: arguments as a list (never one string through a shell), and what to do with its streams.</summary>
internal sealed record ChildProcessStart(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the child; a null value removes the variable this process has.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Writes the child's standard input; without it the input is closed at once.</summary>
    public Func<Stream, CancellationToken, Task>? Input { get; init; }

    /// <summary>Keeps the standard input open after <see cref="Input"/> until the child ends (it then sees the end when it is killed).</summary>
    public bool HoldInput { get; init; }

    /// <summary>Reads the standard output as bytes instead of keeping it as text.</summary>
    public Func<Stream, CancellationToken, Task>? Output { get; init; }

    /// <summary>Receives each line of both outputs as it comes (they are kept as text too).</summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>After this the child and its children are ended (<see cref="ChildProcessEnd.TimedOut"/>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
