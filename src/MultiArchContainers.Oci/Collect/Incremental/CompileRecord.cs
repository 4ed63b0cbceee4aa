namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// What the project's assembly was compiled from (<see cref="Signature"/>, by content, taken before the compiler read
/// it) and where that compile wrote its outputs, by role (assembly, reference assembly, symbols, documentation). Kept
/// beside the outputs in the intermediate folder. The compile without a RID keeps one for the per-RID builds: a RID
/// whose compile would have the same signature takes those outputs instead of compiling (compile once).
/// </summary>
internal sealed record CompileRecord(
    [property: JsonPropertyName("signature")] InputKey Signature,
    [property: JsonPropertyName("outputs")] IReadOnlyDictionary<string, string> Outputs)
{
    /// <summary>The folder part of every path that differs between the compile without a RID and a per-RID one.</summary>
    public const string IntermediateToken = "$(IntermediateOutputPath)";

    public static CompileRecord? Read(string path) => CacheFolder.ReadJson<CompileRecord>(path, "the compile record");

    public void Write(string path) => CacheFolder.WriteFile(path, OciJson.Serialize(this, IncrementalJsonContext.Rules));

    /// <summary>
    /// The signature of a compile: every setting the compiler takes, by name, and every file it reads, in order, by
    /// role, path and content (files below <paramref name="immutableRoots"/>, NuGet packages and the SDK's packs, by
    /// size and time). The compile's own intermediate folder (<paramref name="intermediatePaths"/>, full and as
    /// written) reads as <see cref="IntermediateToken"/>, so files generated there compare by content alone.
    /// </summary>
    public static InputKey SignatureOf(IEnumerable<KeyValuePair<string, string>> settings, IEnumerable<CompileInput> files, IReadOnlyList<string> intermediatePaths, IReadOnlyList<string> immutableRoots)
    {
        // A full path is the folder wherever it appears; a relative one only where a path starts (a value or a list entry),
        // so that another project's folder of the same relative name stays what it is.
        string[] folders = intermediatePaths.Where(p => p.Length > 0)
            .Select(p => p.Replace('\\', '/').TrimEnd('/') + "/")
            .OrderByDescending(p => p.Length).ToArray();
        string Normalize(string text) => string.Join(';', text.Replace('\\', '/').Split(';').Select(entry =>
        {
            foreach (string folder in folders)
            {
                entry = Path.IsPathRooted(folder)
                    ? entry.Replace(folder, IntermediateToken + "/", StringComparison.Ordinal)
                    : entry.StartsWith(folder, StringComparison.Ordinal) ? IntermediateToken + "/" + entry[folder.Length..] : entry;
            }

            return entry;
        }));

        string[] roots = immutableRoots.Where(r => r.Length > 0).Select(r => Path.GetFullPath(r).TrimEnd('/') + "/").ToArray();
        var key = new KeyBuilder();
        foreach ((string name, string value) in settings)
        {
            key.Add("setting " + name, Normalize(value));
        }

        foreach (IGrouping<string, CompileInput> role in files.GroupBy(f => f.Role))
        {
            int index = 0;
            foreach (CompileInput file in role)
            {
                string full = Path.GetFullPath(file.Path);
                FileState state = roots.Any(r => full.StartsWith(r, StringComparison.Ordinal)) ? FileState.Stamp(full) : FileState.Of(full);
                key.Add($"{role.Key} #{index++} {Normalize(full)}", $"{file.Metadata}|{state.Content}");
            }
        }

        return key.Build();
    }
}
