using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci;

/// <summary>Where an annotation goes.</summary>
public enum AnnotationLevel
{
    /// <summary>The image index itself.</summary>
    Index,

    /// <summary>Each per-platform image manifest (changes its bytes and digest).</summary>
    Manifest,

    /// <summary>The index's descriptor entry that points at a per-platform manifest.</summary>
    ManifestDescriptor,

    /// <summary>The descriptor of the index in an OCI archive's index.json.</summary>
    IndexDescriptor,
}

/// <summary>
/// One annotation as declared. <see cref="Value"/> is null when no value was given. <see cref="Platform"/>
/// (<c>os/arch[/variant]</c>) or <see cref="RuntimeIdentifier"/> limit a manifest-level annotation to one image.
/// </summary>
/// <param name="Source">Who declared it, for messages, e.g. <c>ContainerManifestAnnotation item</c>.</param>
/// <param name="Level">Where it goes.</param>
/// <param name="Key">The annotation key.</param>
/// <param name="Value">The value, or null when the declaration gave none.</param>
public sealed record AnnotationInput(string Source, AnnotationLevel Level, string Key, string? Value)
{
    public string? Platform { get; init; }

    public string? RuntimeIdentifier { get; init; }

    /// <summary>Generated values step aside for any user value of the same key at the same place.</summary>
    public bool IsGenerated { get; init; }
}

/// <summary>What the resolution checks besides the declarations themselves.</summary>
public sealed record AnnotationContext(IReadOnlyList<(string Rid, Platform Platform)> Platforms)
{
    /// <summary>Whether the output is an OCI archive (the only place index-descriptor annotations can go).</summary>
    public bool ArchiveOutput { get; init; }

    /// <summary>Whether the user asked for Docker media types, which cannot carry annotations.</summary>
    public bool DockerFormat { get; init; }
}

/// <summary>The annotations of one publish, by level and, below the index, by runtime identifier.</summary>
public sealed class AnnotationSet
{
    private readonly Dictionary<(AnnotationLevel, string), SortedDictionary<string, string>> _maps = [];

    /// <summary>The annotations at <paramref name="level"/>; <paramref name="rid"/> for manifest and manifest-descriptor.</summary>
    public IReadOnlyDictionary<string, string> For(AnnotationLevel level, string? rid = null) =>
        _maps.TryGetValue((level, Scope(level, rid)), out SortedDictionary<string, string>? map) ? map : Empty;

    public IEnumerable<(AnnotationLevel Level, string? Rid, string Key, string Value)> All =>
        _maps.OrderBy(m => m.Key.Item1).ThenBy(m => m.Key.Item2, StringComparer.Ordinal)
            .SelectMany(m => m.Value.Select(kv => (m.Key.Item1, m.Key.Item2.Length == 0 ? null : m.Key.Item2, kv.Key, kv.Value)));

    internal SortedDictionary<string, string> Map(AnnotationLevel level, string? rid)
    {
        (AnnotationLevel, string) key = (level, Scope(level, rid));
        if (!_maps.TryGetValue(key, out SortedDictionary<string, string>? map))
        {
            map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            _maps[key] = map;
        }

        return map;
    }

    private static string Scope(AnnotationLevel level, string? rid) =>
        level is AnnotationLevel.Manifest or AnnotationLevel.ManifestDescriptor ? rid ?? string.Empty : string.Empty;

    private static readonly SortedDictionary<string, string> Empty = new(StringComparer.Ordinal);
}

/// <summary>Checks declared annotations and places each at its level and platform.</summary>
public static partial class Annotations
{
    /// <summary>The keys the OCI image spec predefines in its reserved <c>org.opencontainers.</c> namespace.</summary>
    public static readonly IReadOnlySet<string> PredefinedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "org.opencontainers.image.created", "org.opencontainers.image.authors", "org.opencontainers.image.url",
        "org.opencontainers.image.documentation", "org.opencontainers.image.source", "org.opencontainers.image.version",
        "org.opencontainers.image.revision", "org.opencontainers.image.vendor", "org.opencontainers.image.licenses",
        "org.opencontainers.image.ref.name", "org.opencontainers.image.title", "org.opencontainers.image.description",
        "org.opencontainers.image.base.digest", "org.opencontainers.image.base.name",
        "org.opencontainers.artifact.created", "org.opencontainers.artifact.description",
    };

    public const string CreatedKey = "org.opencontainers.image.created";

    public static string LevelName(AnnotationLevel level) => level switch
    {
        AnnotationLevel.Index => "index",
        AnnotationLevel.Manifest => "manifest",
        AnnotationLevel.ManifestDescriptor => "manifest-descriptor",
        _ => "index-descriptor",
    };

    public static AnnotationLevel? ParseLevel(string text) => text switch
    {
        "index" => AnnotationLevel.Index,
        "manifest" => AnnotationLevel.Manifest,
        "manifest-descriptor" => AnnotationLevel.ManifestDescriptor,
        "index-descriptor" => AnnotationLevel.IndexDescriptor,
        _ => null,
    };

    /// <summary>
    /// Validates every declaration and places it. Every problem goes to <paramref name="report"/>; the result is null
    /// when any of them is an error.
    /// </summary>
    public static AnnotationSet? Resolve(IEnumerable<AnnotationInput> inputs, AnnotationContext context, Action<Diagnostic> report)
    {
        var set = new AnnotationSet();
        var sources = new Dictionary<(AnnotationLevel, string?, string), (string Value, string Source)>();
        bool failed = false;
        List<AnnotationInput> all = inputs.ToList();

        // User declarations first, so a generated value never takes a place a user value wants.
        foreach (AnnotationInput input in all.Where(i => !i.IsGenerated).Concat(all.Where(i => i.IsGenerated)))
        {
            if (!input.IsGenerated && Check(input, context, report) is false)
            {
                failed = true;
                continue;
            }

            IEnumerable<string?> rids = input.Level is AnnotationLevel.Manifest or AnnotationLevel.ManifestDescriptor
                ? context.Platforms.Where(p => Matches(input, p.Rid, p.Platform)).Select(p => (string?)p.Rid)
                : [null];
            foreach (string? rid in rids)
            {
                var place = (input.Level, rid, input.Key);
                if (sources.TryGetValue(place, out var existing))
                {
                    if (!input.IsGenerated && existing.Value != input.Value)
                    {
                        string where = rid is null ? string.Empty : $" for {rid}";
                        report(Diagnostic.Error(MessageIds.AnnotationConflict, LevelName(input.Level), input.Key, where, existing.Value, existing.Source, input.Value, input.Source));
                        failed = true;
                    }

                    continue;
                }

                sources[place] = (input.Value!, input.Source);
                set.Map(input.Level, rid)[input.Key] = input.Value!;
            }
        }

        int declared = all.Count(i => !i.IsGenerated);
        if (context.DockerFormat && declared > 0)
        {
            report(Diagnostic.Error(MessageIds.AnnotationsNeedOci, declared));
            failed = true;
        }

        return failed ? null : set;
    }

    /// <summary>False when the declaration has an error; warnings are reported and it is kept.</summary>
    private static bool Check(AnnotationInput input, AnnotationContext context, Action<Diagnostic> report)
    {
        if (CheckKey(input) is { } keyProblem)
        {
            report(keyProblem);
            return false;
        }

        if (input.Value is null)
        {
            report(Diagnostic.Error(MessageIds.AnnotationValueMissing, input.Source, input.Key));
            return false;
        }

        if (input.Key == CreatedKey && !IsRfc3339(input.Value))
        {
            report(Diagnostic.Error(MessageIds.AnnotationCreatedNotRfc3339, input.Source, input.Value));
            return false;
        }

        bool qualified = input.Platform is not null || input.RuntimeIdentifier is not null;
        if (qualified && input.Level is AnnotationLevel.Index or AnnotationLevel.IndexDescriptor)
        {
            report(Diagnostic.Error(MessageIds.AnnotationQualifierNotAllowed, input.Source, input.Key, LevelName(input.Level)));
            return false;
        }

        if (input.Platform is not null && ParseQualifier(input.Platform) is null)
        {
            report(Diagnostic.Error(MessageIds.AnnotationQualifierInvalid, input.Source, input.Platform, input.Key));
            return false;
        }

        if (qualified && !context.Platforms.Any(p => Matches(input, p.Rid, p.Platform)))
        {
            string wanted = input.RuntimeIdentifier is not null ? $"runtime identifier '{input.RuntimeIdentifier}'" : $"platform '{input.Platform}'";
            string built = string.Join(", ", context.Platforms.Select(p => $"{p.Rid} ({p.Platform})"));
            report(Diagnostic.Error(MessageIds.AnnotationQualifierMatchesNothing, input.Source, input.Key, wanted, built.Length == 0 ? "none" : built));
            return false;
        }

        if (input.Level == AnnotationLevel.IndexDescriptor && !context.ArchiveOutput)
        {
            report(Diagnostic.Error(MessageIds.IndexDescriptorNeedsArchive, input.Source, input.Key));
            return false;
        }

        if (input.Key.StartsWith("org.opencontainers.", StringComparison.Ordinal))
        {
            if (!PredefinedKeys.Contains(input.Key))
            {
                report(Diagnostic.Warning(MessageIds.AnnotationKeyReservedUnknown, input.Source, input.Key));
            }
        }
        else if (!ReverseDomain().IsMatch(input.Key))
        {
            report(Diagnostic.Warning(MessageIds.AnnotationKeyNotReverseDomain, input.Source, input.Key));
        }

        return true;
    }

    private static bool Matches(AnnotationInput input, string rid, Platform platform)
    {
        if (input.RuntimeIdentifier is not null && !string.Equals(input.RuntimeIdentifier, rid, StringComparison.Ordinal))
        {
            return false;
        }

        if (input.Platform is not null)
        {
            Platform? wanted = ParseQualifier(input.Platform);
            if (wanted is null || wanted.Os != platform.Os || wanted.Architecture != platform.Architecture)
            {
                return false;
            }

            // linux/arm64 matches any arm64 variant; linux/arm64/v8 only that one.
            if (wanted.Variant is not null && wanted.Variant != (platform.Variant ?? Platform.DefaultVariant(platform.Architecture)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>os/architecture[/variant]</c>, or null when it is not of that form.</summary>
    public static Platform? ParseQualifier(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
        {
            return null;
        }

        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    public static bool IsRfc3339(string value) =>
        Rfc3339().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>An RFC 3339 UTC timestamp with second precision, the form generated values use.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Diagnostic? CheckKey(AnnotationInput input)
    {
        if (input.Key.Length == 0)
        {
            return Diagnostic.Error(MessageIds.AnnotationKeyEmpty, input.Source);
        }

        for (int i = 0; i < input.Key.Length; i++)
        {
            char c = input.Key[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                string what = char.IsControl(c)
                    ? string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4}")
                    : string.Create(CultureInfo.InvariantCulture, $"the whitespace character U+{(int)c:X4}");
                return Diagnostic.Error(MessageIds.AnnotationKeyInvalidCharacter, input.Source, Printable(input.Key), what, i + 1);
            }
        }

        return null;
    }

    /// <summary>The key with control characters shown as escapes, so a message never carries raw control bytes.</summary>
    private static string Printable(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));

    [GeneratedRegex(@"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\.|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ReverseDomain();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
