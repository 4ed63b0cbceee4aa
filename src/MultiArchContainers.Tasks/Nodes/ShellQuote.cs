namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// Quotes values for the POSIX shell that sshd starts on the node. Every value is one single-quoted word, so
/// <c>;</c>, <c>$()</c>, backquotes and quotes in it are data, never syntax.
/// </summary>
internal static class ShellQuote
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
