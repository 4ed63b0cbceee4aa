namespace MultiArchContainers.Oci.Annotations;

/// <summary>
/// Parses the one-line form of annotations (<c>ContainerAnnotations</c>): entries separated by <c>;</c>, each
/// <c>type[,type][qualifier]:key=value</c> where type is index, manifest, manifest-descriptor or index-descriptor and
/// the optional qualifier is a platform (<c>linux/arm64</c>) or a runtime identifier (<c>linux-arm64</c>).
/// An entry without a type prefix is an index annotation. <c>\;</c>, <c>\,</c> and <c>\\</c> stand for
/// <c>;</c>, <c>,</c> and <c>\</c> anywhere in an entry.
/// </summary>
internal static class AnnotationString
{
    public const string SourceName = "ContainerAnnotations";

    public static IReadOnlyList<AnnotationInput> Parse(string? text, Action<Diagnostic> report)
    {
        var result = new List<AnnotationInput>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (string raw in SplitEntries(text))
        {
            string entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            ParseEntry(entry, $"{SourceName} entry '{Unescape(entry)}'", SourceName, literal: false, result, report);
        }

        return result;
    }

    /// <summary>
    /// One entry as a command line gives it (<c>--annotation</c>): the same <c>type[,type][qualifier]:key=value</c>
    /// grammar, but nothing separates or escapes: the key and value are taken exactly as written.
    /// </summary>
    public static IReadOnlyList<AnnotationInput> ParseOne(string entry, string source, Action<Diagnostic> report)
    {
        var result = new List<AnnotationInput>();
        ParseEntry(entry, source, "--annotation", literal: true, result, report);
        return result;
    }

    private static void ParseEntry(string entry, string source, string origin, bool literal, List<AnnotationInput> result, Action<Diagnostic> report)
    {
        Func<string, string> text = literal ? s => s : Unescape;
        int colon = literal ? entry.IndexOf(':', StringComparison.Ordinal) : IndexOfUnescaped(entry, ':');
        int equals = literal ? entry.IndexOf('=', StringComparison.Ordinal) : IndexOfUnescaped(entry, '=');
        var levels = new List<AnnotationLevel> { AnnotationLevel.Index };
        string? qualifier = null;
        string body = entry;
        if (colon >= 0 && (equals < 0 || colon < equals))
        {
            if (TryParsePrefix(entry[..colon], out List<AnnotationLevel>? parsed, out qualifier, out string? error))
            {
                levels = parsed!;
                body = entry[(colon + 1)..];
            }
            else if (error is not null)
            {
                report(Diagnostic.Error(MessageIds.AnnotationStringInvalid, text(entry), error, origin));
                return;
            }
        }

        int bodyEquals = literal ? body.IndexOf('=', StringComparison.Ordinal) : IndexOfUnescaped(body, '=');
        string key = text(bodyEquals < 0 ? body : body[..bodyEquals]).Trim();
        string? value = bodyEquals < 0 ? null : text(body[(bodyEquals + 1)..]);
        foreach (AnnotationLevel level in levels)
        {
            result.Add(new AnnotationInput(source, level, key, value)
            {
                Platform = qualifier is not null && qualifier.Contains('/', StringComparison.Ordinal) ? qualifier : null,
                RuntimeIdentifier = qualifier is not null && !qualifier.Contains('/', StringComparison.Ordinal) ? qualifier : null,
            });
        }
    }

    /// <summary>
    /// <c>type[,type][qualifier]</c>. Returns false with a null error when the text is not meant as a prefix at
    /// all (then the whole entry is key=value), false with an error when it looks like one but is wrong.
    /// </summary>
    private static bool TryParsePrefix(string prefix, out List<AnnotationLevel>? levels, out string? qualifier, out string? error)
    {
        levels = null;
        qualifier = null;
        error = null;
        string types = prefix;
        int open = prefix.IndexOf('[', StringComparison.Ordinal);
        if (open >= 0)
        {
            if (!prefix.EndsWith(']'))
            {
                error = $"the qualifier in '{Unescape(prefix)}' has no closing ']'";
                return false;
            }

            qualifier = Unescape(prefix[(open + 1)..^1]).Trim();
            types = prefix[..open];
            if (qualifier.Length == 0)
            {
                error = "the qualifier '[]' is empty";
                return false;
            }
        }

        var parsed = new List<AnnotationLevel>();
        foreach (string type in Unescape(types).Split(',', StringSplitOptions.TrimEntries))
        {
            if (AnnotationResolver.ParseLevel(type) is not { } level)
            {
                // A bare word, a list or a qualifier was meant as a type; anything else (a dotted key) is a key.
                error = open >= 0 || types.Contains(',', StringComparison.Ordinal) || type.All(c => char.IsAsciiLetterLower(c) || c == '-')
                    ? $"'{type}' is not index, manifest, manifest-descriptor or index-descriptor"
                    : null;
                return false;
            }

            parsed.Add(level);
        }

        levels = parsed.Distinct().ToList();
        return true;
    }

    private static IEnumerable<string> SplitEntries(string text)
    {
        var current = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == ';')
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        yield return current.ToString();
    }

    private static int IndexOfUnescaped(string text, char wanted)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is ';' or ',' or '\\' or ':' or '=')
            {
                result.Append(text[i + 1]);
                i++;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
