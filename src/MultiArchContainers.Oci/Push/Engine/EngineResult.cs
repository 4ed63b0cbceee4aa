namespace MultiArchContainers.Oci.Push.Engine;

/// <summary>What one engine command did: its exit code and its two outputs.</summary>
internal sealed record EngineResult(int ExitCode, string Output, string Error);
