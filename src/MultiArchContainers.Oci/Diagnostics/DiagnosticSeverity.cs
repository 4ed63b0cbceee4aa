namespace MultiArchContainers.Oci.Diagnostics;

/// <summary>Severity of a <see cref="Diagnostic"/>.</summary>
internal enum DiagnosticSeverity
{
    Message,
    Warning,
    Error,
}
