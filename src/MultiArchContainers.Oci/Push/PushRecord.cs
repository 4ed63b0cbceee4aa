using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using MultiArchContainers.Oci.Collect;

namespace MultiArchContainers.Oci.Push;

/// <summary>
/// What the last push made of one RID's image archive: the manifest (and attestation manifest) it pushed, under the
/// key of everything that shaped them (the archive's own index.json, the registry and repository, the collect and
/// attestation settings, this tool's build). Kept in the RID's image cache folder, so the push of an unchanged image
/// confirms those manifests with one HEAD each instead of unpacking and rewriting the archive again.
/// </summary>
public sealed record PushRecord(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("manifest")] Descriptor Manifest,
    [property: JsonPropertyName("attestation")] Descriptor? Attestation)
{
    public const string FileName = "pushed.json";

    /// <summary>
    /// The key of pushing <paramref name="archivePath"/> to <paramref name="repository"/> of <paramref name="registry"/>
    /// with <paramref name="settings"/> (each a line that changes when what is pushed would change).
    /// </summary>
    public static string KeyFor(string archivePath, string registry, string repository, IEnumerable<string> settings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add(typeof(PushRecord).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(Convert.ToHexStringLower(SHA256.HashData(Layout.OciArchiveReader.ReadIndex(archivePath, archivePath))));
        Add(registry.ToLowerInvariant());
        Add(repository);
        foreach (string setting in settings)
        {
            Add(setting);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Keeps the record in <paramref name="folder"/> (the RID's image cache folder).</summary>
    public void Write(string folder) => new ImageCache(folder).Keep(FileName, this);

    /// <summary>The record kept in <paramref name="folder"/> when it has <paramref name="key"/>; else null.</summary>
    public static PushRecord? Read(string folder, string key) =>
        new ImageCache(folder).Kept<PushRecord>(FileName, "the push record") is { } record && record.Key == key && record.Manifest.Platform is not null
            ? record
            : null;
}
