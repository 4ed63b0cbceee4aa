using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Layout;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// Rewrites a per-RID image before it is pushed: manifest annotations, and (with a source date epoch) the parts of
/// the .NET SDK's output that carry the build's wall-clock time. Unknown fields of the manifest and config are kept.
/// </summary>
internal static class ImageRewriter
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
    /// The image with <c>os.version</c> in its config when the config has none: the .NET SDK leaves out the base
    /// image's <c>os.version</c> (a Windows base names its build), which a Windows host needs to pick its image.
    /// </summary>
    public static OciLayoutImage WithOsVersion(OciLayoutImage image, string? osVersion)
    {
        if (string.IsNullOrEmpty(osVersion) || !string.IsNullOrEmpty(image.Config.OsVersion))
        {
            return image;
        }

        JsonObject config = JsonNode.Parse(image.ReadBlob(image.Manifest.Config.Digest))!.AsObject();
        config["os.version"] = osVersion;
        byte[] configBytes = Serialize(config);
        Digest configDigest = image.WriteBlob(configBytes);
        JsonObject manifest = JsonNode.Parse(image.ManifestBytes)!.AsObject();
        manifest["config"]!["digest"] = configDigest.ToString();
        manifest["config"]!["size"] = configBytes.LongLength;
        return OciLayoutImage.FromManifest(image.Root, image.ManifestDescriptor.MediaType, Serialize(manifest), image.Root);
    }

    /// <summary>
    /// Makes the layers the .NET SDK added, and the config, independent of when the build ran: tar entries sorted by
    /// name with <paramref name="epoch"/> as their time, gzip written the same way every time, the config's
    /// <c>created</c>, the SDK's history entries and created labels set to <paramref name="epoch"/>, and
    /// <c>diff_ids</c>, digests and sizes recomputed. The base image's layers (<paramref name="baseLayers"/>, by digest)
    /// are left as they are, whatever the history says: the SDK writes a history entry of its own for every layer when
    /// the base image's config has none.
    /// </summary>
    public static OciLayoutImage Normalize(OciLayoutImage image, DateTimeOffset epoch, IReadOnlySet<Digest> baseLayers)
    {
        string timestamp = Timestamps.Format(epoch);
        JsonObject config = JsonNode.Parse(image.ReadBlob(image.Manifest.Config.Digest))!.AsObject();
        JsonArray diffIds = config["rootfs"]?["diff_ids"]?.AsArray() ?? throw new MultiArchException(MessageIds.ImageReproducibilityFailed, image.Root, "the config has no rootfs.diff_ids");
        if (config["history"] is JsonArray history)
        {
            foreach (JsonNode? entry in history)
            {
                if (entry?["author"]?.GetValue<string>() == SdkHistoryAuthor)
                {
                    entry["created"] = timestamp;
                }
            }
        }

        var layers = image.Manifest.Layers.ToList();
        if (diffIds.Count != layers.Count)
        {
            throw new MultiArchException(MessageIds.ImageReproducibilityFailed, image.Root, "the config's rootfs does not match the manifest's layers");
        }

        for (int i = 0; i < layers.Count; i++)
        {
            if (baseLayers.Contains(layers[i].Digest))
            {
                continue;
            }

            (Digest digest, long size, Digest diffId) = Repack(image, layers[i], epoch);
            layers[i] = layers[i] with { Digest = digest, Size = size };
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

    /// <summary>
    /// Re-packs one gzip tar layer of <paramref name="image"/> into a new blob of it, streaming: entry contents go to
    /// files while the entries are sorted, so memory does not grow with the layer. Returns the new blob's digest and
    /// size and the digest of the tar (its diff_id).
    /// </summary>
    private static (Digest Digest, long Size, Digest DiffId) Repack(OciLayoutImage image, Descriptor layer, DateTimeOffset epoch)
    {
        string work = Path.Combine(image.Root, "repack-" + layer.Digest.Encoded);
        Directory.CreateDirectory(work);
        try
        {
            var entries = new List<(TarEntry Entry, string? Data)>();
            using (Stream source = image.OpenBlob(layer, image.Root))
            using (var gzip = new GZipStream(source, CompressionMode.Decompress))
            using (var reader = new TarReader(gzip))
            {
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    string? data = null;
                    if (entry.DataStream is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                    {
                        data = Path.Combine(work, entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        using FileStream file = File.Create(data);
                        entry.DataStream.CopyTo(file);
                    }

                    entries.Add((entry, data));
                }

                // Read to the end, so the layer is checked against its digest and size as a whole.
                gzip.CopyTo(Stream.Null);
                source.CopyTo(Stream.Null);
            }

            string output = Path.Combine(work, "layer");
            using var compressedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var tarHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size;
            using (FileStream file = File.Create(output))
            {
                using (var hashedFile = new HashingWriteStream(file, compressedHash))
                using (var gzip = new GZipStream(hashedFile, CompressionLevel.Optimal, leaveOpen: true))
                using (var hashedTar = new HashingWriteStream(gzip, tarHash))
                {
                    // GNU headers: PAX would add extended-header entries whose names carry the writing process's id.
                    using var writer = new TarWriter(hashedTar, TarEntryFormat.Gnu, leaveOpen: true);
                    foreach ((TarEntry entry, string? data) in entries.OrderBy(e => e.Entry.Name, StringComparer.Ordinal))
                    {
                        using Stream? content = data is null ? null : File.OpenRead(data);
                        writer.WriteEntry(Normalized(entry, epoch, content));
                    }
                }

                size = file.Length;
            }

            var digest = Digest.FromSha256(compressedHash.GetHashAndReset());
            File.Move(output, image.BlobPath(digest), overwrite: true);
            return (digest, size, Digest.FromSha256(tarHash.GetHashAndReset()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A GNU entry like <paramref name="entry"/> with <paramref name="epoch"/> as all of its times.</summary>
    private static GnuTarEntry Normalized(TarEntry entry, DateTimeOffset epoch, Stream? content)
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
        if (content is not null)
        {
            copy.DataStream = content;
        }

        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            copy.LinkName = entry.LinkName;
        }

        if (entry is PosixTarEntry posix)
        {
            copy.UserName = posix.UserName;
            copy.GroupName = posix.GroupName;
        }

        return copy;
    }

    /// <summary>V7 regular files become GNU's regular-file type; every other type is shared.</summary>
    private static TarEntryType ToGnu(TarEntryType type) => type == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : type;

    private static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(OciJson.Options));
}
