namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// What one RID's successful build was made from (its <see cref="InputState"/>, taken before the build read
/// anything), the key of the image it made (<see cref="ImageStore"/>), and when it finished. Kept in the RID's cache
/// folder under the digest of its state (the last few; a publish that alternates between two states finds both), and
/// the last one also as <see cref="FileName"/>: what the outputs in obj were last built from.
/// </summary>
internal sealed record InputRecord(
    [property: JsonPropertyName("state")] InputState State,
    [property: JsonPropertyName("imageKey")] string ImageKey,
    [property: JsonPropertyName("completedAt")] long CompletedAtTicks)
{
    public const string FileName = "inputs.json";

    /// <summary>Records kept by state, besides the last one.</summary>
    public const int Kept = 8;

    public void Write(string folder)
    {
        byte[] json = OciJson.Serialize(this, IncrementalJsonContext.Rules);
        string byState = Path.Combine(folder, "inputs");
        CacheFolder.WriteFile(Path.Combine(byState, State.Digest + ".json"), json);
        CacheFolder.WriteFile(Path.Combine(folder, FileName), json);
        foreach (FileInfo old in new DirectoryInfo(byState).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept))
        {
            old.Delete();
        }
    }

    /// <summary>The last record in <paramref name="folder"/>, or null when there is none or it cannot be read.</summary>
    public static InputRecord? Read(string folder) => CacheFolder.ReadJson<InputRecord>(Path.Combine(folder, FileName), "the input record");

    /// <summary>The record in <paramref name="folder"/> of a build made from <paramref name="state"/>, if one is kept.</summary>
    public static InputRecord? Find(string folder, InputState state) =>
        CacheFolder.ReadJson<InputRecord>(Path.Combine(folder, "inputs", state.Digest + ".json"), "the input record") is { } record && record.State.Digest == state.Digest
            ? record
            : null;
}
