namespace MultiArchContainers.Oci.Processes;

/// <summary>How a child process ended.</summary>
internal enum ChildProcessEnd
{
    /// <summary>It exited by itself; <see cref="ChildProcessResult.ExitCode"/> says how.</summary>
    Exited,

    /// <summary>It did not finish within its time limit and was ended, with its children.</summary>
    TimedOut,

    /// <summary>It closed its standard input before it had all of it, and was ended.</summary>
    InputClosed,
}
