using System.Globalization;

namespace MultiArchContainers.Oci;

/// <summary>One annotation as the user declared it. <see cref="Value"/> is null when no value was given.</summary>
/// <param name="Kind">What declared it, for messages, e.g. <c>ContainerIndexAnnotation</c>.</param>
/// <param name="Key">The annotation key.</param>
/// <param name="Value">The value, or null when the declaration gave none.</param>
public sealed record AnnotationInput(string Kind, string Key, string? Value);

/// <summary>Checks declared annotations and turns them into the map that goes into a document.</summary>
public static class Annotations
{
    /// <summary>
    /// Validates <paramref name="inputs"/> and returns the annotations by key. Every problem is reported to
    /// <paramref name="report"/>; the result is null when any of them is an error.
    /// </summary>
    public static SortedDictionary<string, string>? Validate(IEnumerable<AnnotationInput> inputs, Action<Diagnostic> report)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        bool failed = false;
        foreach (AnnotationInput input in inputs)
        {
            Diagnostic? problem = CheckKey(input) ?? (input.Value is null ? Diagnostic.Error(MessageIds.AnnotationValueMissing, input.Kind, input.Key) : null);
            if (problem is not null)
            {
                report(problem);
                failed = true;
                continue;
            }

            if (result.TryGetValue(input.Key, out string? existing))
            {
                if (existing != input.Value)
                {
                    report(Diagnostic.Error(MessageIds.AnnotationConflict, input.Kind, input.Key, existing, input.Value));
                    failed = true;
                }

                continue;
            }

            result.Add(input.Key, input.Value!);
        }

        return failed ? null : result;
    }

    private static Diagnostic? CheckKey(AnnotationInput input)
    {
        if (input.Key.Length == 0)
        {
            return Diagnostic.Error(MessageIds.AnnotationKeyEmpty, input.Kind);
        }

        for (int i = 0; i < input.Key.Length; i++)
        {
            char c = input.Key[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                string what = char.IsControl(c)
                    ? string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4}")
                    : string.Create(CultureInfo.InvariantCulture, $"the whitespace character U+{(int)c:X4}");
                return Diagnostic.Error(MessageIds.AnnotationKeyInvalidCharacter, input.Kind, Printable(input.Key), what, i + 1);
            }
        }

        return null;
    }

    /// <summary>The key with control characters shown as escapes, so a message never carries raw control bytes.</summary>
    private static string Printable(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));
}
