using System.Resources;

namespace MultiArchContainers.Oci.Diagnostics;

/// <summary>A coded message from Resources/Strings.resx: <c>MACnnnn</c> plus the formatted text.</summary>
internal sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string Text)
{
    private static readonly ResourceManager Resources =
        new("MultiArchContainers.Oci.Resources.Strings", typeof(Diagnostic).Assembly);

    public static Diagnostic Error(string messageId, params object?[] args) => Create(DiagnosticSeverity.Error, messageId, args);

    public static Diagnostic Warning(string messageId, params object?[] args) => Create(DiagnosticSeverity.Warning, messageId, args);

    /// <summary>The raw resource text, code included; used by the tests that keep codes unique.</summary>
    public static string GetTemplate(string messageId) =>
        Resources.GetString(messageId, CultureInfo.InvariantCulture)
        ?? throw new ArgumentException($"No message named '{messageId}'.", nameof(messageId));

    public override string ToString() => $"{Code}: {Text}";

    private static Diagnostic Create(DiagnosticSeverity severity, string messageId, object?[] args)
    {
        string formatted = string.Format(CultureInfo.InvariantCulture, GetTemplate(messageId), args);
        int colon = formatted.IndexOf(':', StringComparison.Ordinal);
        return new Diagnostic(severity, formatted[..colon], formatted[(colon + 1)..].TrimStart());
    }
}
