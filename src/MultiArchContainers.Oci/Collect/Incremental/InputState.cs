namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// What a publish's per-RID builds are made from, taken before any of them reads it: the named settings (global
/// properties, environment, item lists, base image digest, the tool, the commit; <see cref="Settings"/>) and every
/// file of the <see cref="InputScope"/> with its content hash. Kept with the image a build made
/// (<see cref="InputRecord"/>), it lets the next publish prove that nothing changed.
/// </summary>
internal sealed record InputState(
    [property: JsonPropertyName("settings")] InputKey Settings,
    [property: JsonPropertyName("files")] IReadOnlyList<FileState> Files,
    [property: JsonPropertyName("takenAt")] long TakenAtTicks)
{
    /// <summary>
    /// The files of <paramref name="scope"/> now, read, with the scope's own settings (its linked folders, and the
    /// newest MSBuild import by its time, as MSBuild itself judges imports); <see cref="With"/> adds the others. Null,
    /// with the reason, when the scope is larger than its limits.
    /// </summary>
    public static InputState? Take(InputScope scope, string newestImport, out string? whyNot)
    {
        long takenAt = DateTime.UtcNow.Ticks;
        if (scope.Walk(out whyNot) is not { } walked)
        {
            return null;
        }

        var settings = new KeyBuilder().Add("linked folders", walked.Links);
        if (newestImport.Length > 0)
        {
            FileState import = FileState.Stamp(newestImport);
            settings.Add("newest MSBuild import", $"{import.Path} {import.Content}");
        }

        FileState[] files = walked.Files.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Clamp(Environment.ProcessorCount, 1, 4))
            .Select(FileState.Of).ToArray();
        return new InputState(settings.Build(), files, takenAt);
    }

    /// <summary>This state with <paramref name="settings"/> added to its own.</summary>
    public InputState With(KeyBuilder settings)
    {
        foreach ((string name, string digest) in Settings.Fields)
        {
            settings.AddDigest(name, digest);
        }

        return this with { Settings = settings.Build() };
    }

    /// <summary>One digest of the whole state: the settings' key and every file's path and content.</summary>
    [JsonIgnore]
    public string Digest => new KeyBuilder().Add("settings", Settings.Value).Add("files", Files.Select(f => $"{f.Path}\n{f.Content}")).Build().Value;

    /// <summary>The files whose content is not what this state holds any more (changed while a build read them).</summary>
    public IReadOnlyList<string> ChangedSince() =>
        [.. Files.AsParallel().AsOrdered().Where(f => FileState.Of(f.Path).Content != f.Content).Select(f => f.Path)];

    public static InputState Read(string path) => OciJson.Deserialize<InputState>(File.ReadAllBytes(path), "the input state", IncrementalJsonContext.Rules);

    public void Write(string path) => CacheFolder.WriteFile(path, OciJson.Serialize(this, IncrementalJsonContext.Rules));
}
