using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Incremental;

/// <summary>
/// What a push of one RID's image archive made: the manifest (and attestation manifest) it pushed, under the key of
/// everything that shaped them (<see cref="KeyFor"/>). Kept in the RID's cache folder (<c>pushed/&lt;key&gt;.json</c>,
/// one per key, never replaced by another), so the push of an unchanged image confirms those manifests with one HEAD
/// each instead of unpacking and rewriting the archive again.
/// </summary>
public sealed record PushRecord(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("manifest")] Descriptor Manifest,
    [property: JsonPropertyName("attestation")] Descriptor? Attestation)
{
    /// <summary>Records kept per RID; the oldest go when there are more.</summary>
    public const int Kept = 20;

    /// <summary>
    /// The key of pushing the image <paramref name="archivePath"/> holds to <paramref name="repository"/> of
    /// <paramref name="registry"/>, shaped by the named <paramref name="settings"/> (the publish's time, the manifest
    /// annotations, the attestations).
    /// </summary>
    public static string KeyFor(string archivePath, string registry, string repository, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var key = new KeyBuilder()
            .Add("tool", typeof(PushRecord).Assembly.ManifestModule.ModuleVersionId.ToString())
            .Add("archive index", Digest.Sha256(Layout.OciArchiveReader.ReadIndex(archivePath, archivePath)).ToString())
            .Add("registry", registry.ToLowerInvariant())
            .Add("repository", repository);
        foreach ((string name, string value) in settings)
        {
            key.Add(name, value);
        }

        return key.Build().Value;
    }

    /// <summary>Keeps the record in <paramref name="folder"/> (the RID's cache folder).</summary>
    public void Write(string folder)
    {
        string records = Path.Combine(folder, "pushed");
        CacheFolder.WriteFile(Path.Combine(records, Key + ".json"), OciJson.Serialize(this));
        foreach (FileInfo old in new DirectoryInfo(records).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept))
        {
            old.Delete();
        }
    }

    /// <summary>The record kept in <paramref name="folder"/> under <paramref name="key"/>; else null.</summary>
    public static PushRecord? Read(string folder, string key) =>
        CacheFolder.ReadJson<PushRecord>(Path.Combine(folder, "pushed", key + ".json"), "the push record") is { } record && record.Key == key && record.Manifest.Platform is not null
            ? record
            : null;
}
