namespace MultiArchContainers.Tasks.Nodes;

/// <summary>The outcome of one ssh invocation.</summary>
internal sealed record SshResult(int ExitCode, string StandardOutput, string StandardError);
