namespace MultiArchContainers.Oci.Diagnostics;

/// <summary>
/// The one filter for text on its way to a console, a log or a diagnostic: registries, archives, metadata files and
/// annotations control parts of what this tool prints, and none of it may drive a terminal or a CI log. Every C0 and
/// C1 control character, DEL, and every bidi, format or line-separator character is written as a visible escape
/// (<c>\n</c>, <c>\e</c>, <c>\u202E</c>, …), so a value never starts a new line, moves the cursor, sets a window
/// title or turns into a CI workflow command. Everything else, other scripts and accents included, stays as it is.
/// Exact output (<c>--raw</c>, JSON) does not go through here: JSON escapes controls itself.
/// </summary>
internal static class SafeText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape))
        {
            return text ?? string.Empty;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (!NeedsEscape(c))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\u001b' => "\\e",
                _ => $"\\u{(int)c:X4}",
            });
        }

        return escaped.ToString();
    }

    /// <summary>Whether <paramref name="c"/> is written as an escape: controls, DEL, and bidi, format and separator characters.</summary>
    public static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
