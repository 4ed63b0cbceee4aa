namespace MultiArchContainers.Oci.Processes;

/// <summary>What a child process did: how it ended, its exit code, and its two outputs as text (empty when not kept).</summary>
internal sealed record ChildProcessResult(ChildProcessEnd End, int ExitCode, string Output, string Error)
{
    public bool Succeeded => End == ChildProcessEnd.Exited && ExitCode == 0;
}
