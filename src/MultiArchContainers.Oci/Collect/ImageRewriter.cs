using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Model;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// Rewrites a per-RID image before it is pushed: manifest annotations, and (with a source date epoch) the parts of
/// the .NET SDK's output that carry the build's wall-clock time. Unknown fields of the manifest and config are kept.
/// </summary>
public static class ImageRewriter
{
    /// <summary>The history author the .NET SDK writes for the layers it adds on top of the base image.</summary>
    public const string SdkHistoryAuthor = ".NET SDK";

    private static readonly string[] CreatedLabels = ["org.opencontainers.image.created", "org.opencontainers.artifact.created"];

    /// <summary>The image with <paramref name="annotations"/> merged into its manifest (declared values win).</summary>
    public static OciLayoutImage Annotate(OciLayoutImage image, IReadOnlyDictionary<string, string> annotations) =>
        annotations.Count == 0
            ? image
            : OciLayoutImage.FromManifest(image.Root, image.ManifestDescriptor.MediaType, AnnotateManifest(image.ManifestBytes, annotations), image.Root);

    /// <summary>Manifest bytes with <paramref name="annotations"/> merged in; every other field is kept.</summary>
    public static byte[] AnnotateManifest(byte[] manifestBytes, IReadOnlyDictionary<string, string> annotations)
    {
        if (annotations.Count == 0)
        {
            return manifestBytes;
        }

        JsonObject manifest = JsonNode.Parse(manifestBytes)!.AsObject();
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (manifest["annotations"] is JsonObject existing)
        {
            foreach ((string key, JsonNode? value) in existing)
            {
                merged[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        foreach ((string key, string value) in annotations)
        {
            merged[key] = value;
        }

        manifest["annotations"] = new JsonObject(merged.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        return Serialize(manifest);
    }

    /// <summary>
    /// Makes the layers the .NET SDK added, and the config, independent of when the build ran: tar entries sorted by
    /// name with <paramref name="epoch"/> as their time, gzip written the same way every time, the config's
    /// <c>created</c>, the SDK's history entries and created labels set to <paramref name="epoch"/>, and
    /// <c>diff_ids</c>, digests and sizes recomputed. Base layers are left untouched.
    /// </summary>
    public static OciLayoutImage Normalize(OciLayoutImage image, DateTimeOffset epoch)
    {
        string timestamp = Timestamps.Format(epoch);
        JsonObject config = JsonNode.Parse(image.ReadBlob(image.Manifest.Config.Digest))!.AsObject();
        JsonArray diffIds = config["rootfs"]?["diff_ids"]?.AsArray() ?? throw new MultiArchException(MessageIds.ImageReproducibilityFailed, image.Root, "the config has no rootfs.diff_ids");
        int sdkLayers = 0;
        if (config["history"] is JsonArray history)
        {
            foreach (JsonNode? entry in history)
            {
                if (entry?["author"]?.GetValue<string>() == SdkHistoryAuthor)
                {
                    entry["created"] = timestamp;
                    if (entry["empty_layer"]?.GetValue<bool>() != true)
                    {
                        sdkLayers++;
                    }
                }
            }
        }

        var layers = image.Manifest.Layers.ToList();
        if (sdkLayers > layers.Count || diffIds.Count != layers.Count)
        {
            throw new MultiArchException(MessageIds.ImageReproducibilityFailed, image.Root, "the config's history and rootfs do not match the manifest's layers");
        }

        for (int i = layers.Count - sdkLayers; i < layers.Count; i++)
        {
            (byte[] compressed, Digest diffId) = Repack(image.ReadBlob(layers[i].Digest), epoch);
            Digest digest = image.WriteBlob(compressed);
            layers[i] = layers[i] with { Digest = digest, Size = compressed.LongLength };
            diffIds[i] = diffId.ToString();
        }

        config["created"] = timestamp;
        if (config["config"]?["Labels"] is JsonObject labels)
        {
            foreach (string label in CreatedLabels.Where(labels.ContainsKey))
            {
                labels[label] = timestamp;
            }
        }

        byte[] configBytes = Serialize(config);
        Digest configDigest = image.WriteBlob(configBytes);

        JsonObject manifest = JsonNode.Parse(image.ManifestBytes)!.AsObject();
        manifest["config"]!["digest"] = configDigest.ToString();
        manifest["config"]!["size"] = configBytes.LongLength;
        JsonArray manifestLayers = manifest["layers"]!.AsArray();
        for (int i = 0; i < layers.Count; i++)
        {
            manifestLayers[i]!["digest"] = layers[i].Digest.ToString();
            manifestLayers[i]!["size"] = layers[i].Size;
        }

        return OciLayoutImage.FromManifest(image.Root, image.ManifestDescriptor.MediaType, Serialize(manifest), image.Root);
    }

    /// <summary>Re-packs one gzip tar layer; returns the new compressed bytes and the digest of the tar (its diff_id).</summary>
    private static (byte[] Compressed, Digest DiffId) Repack(byte[] layer, DateTimeOffset epoch)
    {
        var entries = new List<(TarEntry Entry, byte[]? Data)>();
        using (var gzip = new GZipStream(new MemoryStream(layer), CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                byte[]? data = null;
                if (entry.DataStream is not null)
                {
                    using var buffer = new MemoryStream();
                    entry.DataStream.CopyTo(buffer);
                    data = buffer.ToArray();
                }

                entries.Add((entry, data));
            }
        }

        var tar = new MemoryStream();
        // GNU headers: PAX would add extended-header entries whose names carry the writing process's id.
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach ((TarEntry entry, byte[]? data) in entries.OrderBy(e => e.Entry.Name, StringComparer.Ordinal))
            {
                var copy = new GnuTarEntry(ToGnu(entry.EntryType), entry.Name)
                {
                    ModificationTime = epoch,
                    AccessTime = epoch,
                    ChangeTime = epoch,
                    Mode = entry.Mode,
                    Uid = entry.Uid,
                    Gid = entry.Gid,
                };
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    copy.LinkName = entry.LinkName;
                }

                if (entry is PosixTarEntry posix)
                {
                    copy.UserName = posix.UserName;
                    copy.GroupName = posix.GroupName;
                }

                if (data is not null)
                {
                    copy.DataStream = new MemoryStream(data);
                }

                writer.WriteEntry(copy);
            }
        }

        byte[] uncompressed = tar.ToArray();
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(uncompressed);
        }

        return (compressed.ToArray(), Digest.Sha256(uncompressed));
    }

    /// <summary>V7 regular files become GNU's regular-file type; every other type is shared.</summary>
    private static TarEntryType ToGnu(TarEntryType type) => type == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : type;

    private static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(OciJson.Options));
}
