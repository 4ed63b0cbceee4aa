using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Annotations;

/// <summary>Checks declared annotations and places each at its level and platform.</summary>
internal static partial class AnnotationResolver
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

        if (input.Key == CreatedKey && !Timestamps.IsRfc3339(input.Value))
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

        if (input.Platform is not null && Platform.TryParse(input.Platform) is null)
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

    private static bool Matches(AnnotationInput input, string rid, Platform platform) =>
        (input.RuntimeIdentifier is null || string.Equals(input.RuntimeIdentifier, rid, StringComparison.Ordinal))
        && (input.Platform is null || Platform.TryParse(input.Platform)?.Selects(platform) == true);

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

    [GeneratedRegex(@"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\.|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex ReverseDomain();
}
