using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Model;

/// <summary>
/// An image reference in the grammar of the distribution project's <c>reference</c> package:
/// <c>[registry/]repository[:tag][@digest]</c>. <see cref="Registry"/> is empty when the reference names none.
/// </summary>
internal sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    private const int MaxNameLength = 255;

    /// <summary>The reference, or <c>null</c> with <paramref name="error"/> saying what is wrong.</summary>
    public static ImageReference? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty";
            return null;
        }

        string remainder = text;
        Digest? digest = null;
        int at = remainder.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Model.Digest.TryParse(remainder[(at + 1)..], out Digest parsed))
            {
                error = $"'{remainder[(at + 1)..]}' is not a valid digest";
                return null;
            }

            digest = parsed;
            remainder = remainder[..at];
        }

        string? tag = null;
        int lastSlash = remainder.LastIndexOf('/');
        int tagColon = remainder.LastIndexOf(':');
        if (tagColon > lastSlash)
        {
            tag = remainder[(tagColon + 1)..];
            remainder = remainder[..tagColon];
            if (!IsValidTag(tag))
            {
                error = $"the tag '{tag}' does not follow the rule: {TagRule}";
                return null;
            }
        }

        string registry = string.Empty;
        string repository = remainder;
        int firstSlash = remainder.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            string first = remainder[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.StartsWith('['))
            {
                registry = first;
                repository = remainder[(firstSlash + 1)..];
            }
        }

        if (registry.Length > 0 && !IsValidRegistry(registry))
        {
            error = $"'{registry}' is not a valid registry host[:port]";
            return null;
        }

        if (!IsValidRepository(repository, out error))
        {
            return null;
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            error = $"the name is longer than {MaxNameLength} characters";
            return null;
        }

        return new ImageReference(registry, repository, tag, digest);
    }

    public static ImageReference Parse(string text) =>
        TryParse(text, out string? error) ?? throw new FormatException($"'{text}' is not a valid image reference: {error}.");

    /// <summary>What makes a tag valid, for messages.</summary>
    public const string TagRule = "a tag is 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";

    public static bool IsValidTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    public static bool IsValidRegistry(string? registry) => registry is not null && RegistryPattern().IsMatch(registry);

    public static bool IsValidRepository(string? repository, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(repository))
        {
            error = "the repository is empty";
            return false;
        }

        if (repository.Length > MaxNameLength)
        {
            error = $"the repository is longer than {MaxNameLength} characters";
            return false;
        }

        foreach (string component in repository.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
            {
                error = $"the repository component '{component}' must be lowercase letters and digits, separated by '.', '_', '__' or '-'";
                return false;
            }
        }

        return true;
    }

    /// <summary>The tag or digest that a manifest request for this reference names.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    public override string ToString() =>
        $"{(Registry.Length == 0 ? string.Empty : Registry + "/")}{Repository}{(Tag is null ? string.Empty : ":" + Tag)}{(Digest is null ? string.Empty : "@" + Digest)}";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();
}
