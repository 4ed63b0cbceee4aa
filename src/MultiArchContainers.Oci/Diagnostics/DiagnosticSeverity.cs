namespace MultiArchContainers.Oci.Diagnostics;

/// <summary>Severity of a <see cref="Diagnostic"/>.</summary>
public enum DiagnosticSeverity
{
    Message,
    Warning,
    Error,
}
