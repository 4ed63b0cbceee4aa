namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// What NuGet's <c>project.assets.json</c> says about one RID of one target framework: every package of the resolved
/// graph with its SHA-512, and the runtime packs a self-contained publish of that RID carries. Read once, asked per RID.
/// </summary>
internal sealed class AssetsFile
{
    private readonly JsonElement _root;

    private AssetsFile(JsonElement root) => _root = root;

    /// <summary>No assets file is near this; a larger one is not read.</summary>
    public const int Limit = 256 * 1024 * 1024;

    /// <summary>The packages of <paramref name="targetFramework"/>/<paramref name="runtimeIdentifier"/>, sorted by id.</summary>
    public IReadOnlyList<NuGetPackage> Packages(string targetFramework, string runtimeIdentifier, bool selfContained)
    {
        JsonElement root = _root;
        var packages = new SortedDictionary<string, NuGetPackage>(StringComparer.OrdinalIgnoreCase);
        if (Target(root, targetFramework, runtimeIdentifier) is { } target)
        {
            root.TryGetProperty("libraries", out JsonElement libraries);
            foreach (JsonProperty library in target.EnumerateObject())
            {
                if (library.Value.TryGetProperty("type", out JsonElement type) && type.GetString() == "package" && library.Name.Split('/') is [string id, string version])
                {
                    string sha512 = libraries.ValueKind == JsonValueKind.Object && libraries.TryGetProperty(library.Name, out JsonElement entry)
                        && entry.TryGetProperty("sha512", out JsonElement hash) && hash.GetString() is { } base64
                        ? Convert.ToHexStringLower(Convert.FromBase64String(base64))
                        : string.Empty;
                    packages[id] = new NuGetPackage(id, version, sha512);
                }
            }
        }

        if (selfContained)
        {
            foreach (NuGetPackage pack in RuntimePacks(root, targetFramework, runtimeIdentifier))
            {
                packages[pack.Id] = pack;
            }
        }

        return [.. packages.Values];
    }

    /// <summary>Reads the assets file at <paramref name="path"/> (MAC4012 when it is missing, too large or not JSON).</summary>
    public static AssetsFile Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length > Limit)
        {
            throw new MultiArchException(MessageIds.AttestationInputInvalid, path, file.Exists ? $"it is larger than {Limit} bytes" : "it does not exist; restore the project first");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return new AssetsFile(document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new MultiArchException(MessageIds.AttestationInputInvalid, path, ex.Message);
        }
    }

    private static JsonElement? Target(JsonElement root, string targetFramework, string runtimeIdentifier)
    {
        if (!root.TryGetProperty("targets", out JsonElement targets) || targets.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (JsonProperty target in targets.EnumerateObject())
        {
            if (target.Name.Equals($"{targetFramework}/{runtimeIdentifier}", StringComparison.OrdinalIgnoreCase))
            {
                return target.Value;
            }
        }

        // A framework written differently in the project (net10.0 vs .NETCoreApp,Version=v10.0): the one target of the RID.
        JsonProperty[] matches = targets.EnumerateObject().Where(t => t.Name.EndsWith("/" + runtimeIdentifier, StringComparison.OrdinalIgnoreCase)).ToArray();
        return matches.Length == 1 ? matches[0].Value : null;
    }

    /// <summary>
    /// The runtime packs of the shared frameworks the project references (Microsoft.NETCore.App, and
    /// Microsoft.AspNetCore.App when used) for the RID, with their hashes from the package folder. Restore downloads
    /// packs of other frameworks too; those are not in the app.
    /// </summary>
    private static IEnumerable<NuGetPackage> RuntimePacks(JsonElement root, string targetFramework, string runtimeIdentifier)
    {
        if (!root.TryGetProperty("project", out JsonElement project) || !project.TryGetProperty("frameworks", out JsonElement frameworks)
            || !frameworks.TryGetProperty(targetFramework, out JsonElement framework) || !framework.TryGetProperty("downloadDependencies", out JsonElement downloads))
        {
            yield break;
        }

        HashSet<string> shared = framework.TryGetProperty("frameworkReferences", out JsonElement references) && references.ValueKind == JsonValueKind.Object
            ? references.EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : ["Microsoft.NETCore.App"];
        string[] folders = root.TryGetProperty("packageFolders", out JsonElement packageFolders) ? packageFolders.EnumerateObject().Select(f => f.Name).ToArray() : [];
        foreach (JsonElement download in downloads.EnumerateArray())
        {
            string? name = download.TryGetProperty("name", out JsonElement n) ? n.GetString() : null;
            string? range = download.TryGetProperty("version", out JsonElement v) ? v.GetString() : null;
            string suffix = ".Runtime." + runtimeIdentifier;
            if (name is null || range is null || !name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || !shared.Contains(name[..^suffix.Length]))
            {
                continue;
            }

            // An exact version is written as a one-version range: [10.0.12, 10.0.12].
            string version = range.Trim('[', ']', '(', ')').Split(',')[0].Trim();
            string sha512 = folders
                .Select(folder => Path.Combine(folder, name.ToLowerInvariant(), version.ToLowerInvariant(), $"{name.ToLowerInvariant()}.{version.ToLowerInvariant()}.nupkg.sha512"))
                .Where(File.Exists)
                .Select(file => Convert.ToHexStringLower(Convert.FromBase64String(File.ReadAllText(file).Trim())))
                .FirstOrDefault() ?? string.Empty;
            yield return new NuGetPackage(name, version, sha512);
        }
    }
}
