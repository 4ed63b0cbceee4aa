namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// The origin of the sources as provenance may name it: the <c>remote.origin.url</c> of the git configuration, read as
/// git reads it (sections, quoted values, escapes, comments), without any user name or password in any of its forms,
/// and never a path of the build machine.
/// </summary>
internal static class SourceOrigin
{
    /// <summary>The first <c>url</c> of <c>[remote "origin"]</c> in the git config text, as git reads the value; null when there is none.</summary>
    public static string? ReadUrl(IEnumerable<string> configLines)
    {
        bool inOrigin = false;
        using IEnumerator<string> lines = configLines.GetEnumerator();
        while (lines.MoveNext())
        {
            string line = lines.Current.Trim();
            if (line.StartsWith('['))
            {
                inOrigin = IsOriginSection(line);
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (!inOrigin || equals <= 0 || !line[..equals].Trim().Equals("url", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A value may go on over several lines, each ending in a backslash outside quotes.
            var raw = new StringBuilder(line[(equals + 1)..]);
            while (EndsInContinuation(raw.ToString()) && lines.MoveNext())
            {
                raw.Length--;
                raw.Append(lines.Current);
            }

            return Value(raw.ToString());
        }

        return null;
    }

    /// <summary>
    /// <paramref name="url"/> without user info: a URL's <c>user:password@</c>, percent-encoded or not, and the
    /// <c>user@</c> of scp-like <c>user@host:path</c>. Null for a path of this machine (absolute, relative or
    /// <c>file:</c>), which says nothing to anyone else and may name a user's folders.
    /// </summary>
    public static string? Sanitize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            if (url[..scheme].Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            // git keeps what was typed, so a password may hold '/', '#', '?' or '@': everything up to the last '@' goes.
            // A path with an '@' then loses its start, which names nothing secret.
            string rest = url[(scheme + 3)..];
            int at = rest.LastIndexOf('@');
            return at < 0 ? url : url[..(scheme + 3)] + rest[(at + 1)..];
        }

        // A path of this machine: absolute, relative, home, or a Windows drive.
        if (url[0] is '/' or '\\' or '.' or '~' || (url.Length > 2 && char.IsAsciiLetter(url[0]) && url[1] == ':' && url[2] is '\\' or '/'))
        {
            return null;
        }

        // scp-like [user[:password]@]host:path.
        int slash = url.IndexOf('/', StringComparison.Ordinal);
        string head = slash < 0 ? url : url[..slash];
        int userAt = head.LastIndexOf('@');
        string hostAndPath = userAt < 0 ? url : url[(userAt + 1)..];
        return hostAndPath.IndexOf(':', StringComparison.Ordinal) > 1 ? hostAndPath : null;
    }

    /// <summary><c>[remote "origin"]</c>, with the subsection's quotes and escapes, or the old <c>[remote.origin]</c>.</summary>
    private static bool IsOriginSection(string header)
    {
        string inner = header.TrimStart('[');
        int close = inner.LastIndexOf(']');
        inner = close < 0 ? inner : inner[..close];
        int quote = inner.IndexOf('"', StringComparison.Ordinal);
        if (quote < 0)
        {
            return inner.Trim().Equals("remote.origin", StringComparison.OrdinalIgnoreCase);
        }

        return inner[..quote].Trim().Equals("remote", StringComparison.OrdinalIgnoreCase) && Value(inner[quote..]) == "origin";
    }

    private static bool EndsInContinuation(string text)
    {
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                if (i == text.Length - 1)
                {
                    return true;
                }

                i++;
            }
            else if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && text[i] is '#' or ';')
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A git config value: quotes toggle, <c>\" \\ \n \t \b</c> are escapes, <c>#</c> and <c>;</c> outside quotes start a comment.</summary>
    private static string Value(string raw)
    {
        var value = new StringBuilder();
        bool quoted = false;
        int lastKept = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                value.Append(raw[++i] switch { 'n' => '\n', 't' => '\t', 'b' => '\b', char other => other });
                lastKept = value.Length;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                lastKept = value.Length;
            }
            else if (!quoted && c is '#' or ';')
            {
                break;
            }
            else if (quoted || !char.IsWhiteSpace(c) || value.Length > 0)
            {
                value.Append(c);
                if (quoted || !char.IsWhiteSpace(c))
                {
                    lastKept = value.Length;
                }
            }
        }

        // Whitespace at the end, outside quotes, is not part of the value.
        return value.ToString(0, lastKept);
    }
}
