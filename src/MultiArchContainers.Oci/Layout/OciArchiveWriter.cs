using System.Formats.Tar;

namespace MultiArchContainers.Oci.Layout;

/// <summary>
/// Writes an OCI image layout as a tarball: <c>oci-layout</c>, <c>index.json</c> naming the index once per tag
/// (<c>org.opencontainers.image.ref.name</c>) and <c>blobs/</c>. Blobs are streamed from files, never held whole.
/// </summary>
internal sealed class OciArchiveWriter
{
    private readonly SortedDictionary<string, Func<Stream>> _blobs = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a blob stored in a file. It is checked against <paramref name="digest"/> while it is written, so a file
    /// that does not hold exactly that content fails the write and no archive is left; unless
    /// <paramref name="checkedAlready"/> says it was checked on its way into this tool's own working folder.
    /// </summary>
    public void AddFile(Digest digest, string path, bool checkedAlready = false) =>
        _blobs[OciLayoutPaths.BlobName(digest)] = checkedAlready
            ? () => File.OpenRead(path)
            : () => new VerifyingStream(File.OpenRead(path), digest, -1, digest.ToString(), path);

    public void AddBytes(byte[] content) => _blobs[OciLayoutPaths.BlobName(Digest.Sha256(content))] = () => new MemoryStream(content);

    /// <summary>Every blob of <paramref name="image"/>: manifest, config and layers.</summary>
    public void AddImage(OciLayoutImage image)
    {
        AddBytes(image.ManifestBytes);
        foreach (Descriptor blob in image.Manifest.Layers.Prepend(image.Manifest.Config))
        {
            AddFile(blob.Digest, image.BlobPath(blob.Digest));
        }
    }

    /// <summary>
    /// Writes one image alone as an archive, tagged <c>image</c>: how a build node sends an image back.
    /// <paramref name="extraBlobs"/> (its attestation's) travel with it without being named in index.json.
    /// </summary>
    public static void WriteImage(string path, OciLayoutImage image, IEnumerable<byte[]>? extraBlobs = null)
    {
        var writer = new OciArchiveWriter();
        writer.AddImage(image);
        foreach (byte[] blob in extraBlobs ?? [])
        {
            writer.AddBytes(blob);
        }

        writer.Write(path, image.ManifestDescriptor with { Platform = null }, ["image"], new Dictionary<string, string>());
    }

    /// <summary>The archive's file: <paramref name="configured"/>, or <c>&lt;repository&gt;.tar</c> in it when it names a folder.</summary>
    public static string ArchivePath(string configured, string repository) =>
        Directory.Exists(configured) || configured.EndsWith('/') || configured.EndsWith('\\')
            ? Path.Combine(configured, repository.Replace('/', '-') + ".tar")
            : configured;

    /// <summary>
    /// Adds the index, <paramref name="content"/> as it is (its images' blobs were added before) and writes the archive under every tag;
    /// with <paramref name="tagPlatforms"/> every image gets its platform tags as ref.name entries too.
    /// </summary>
    public PublishedIndex WriteIndex(string path, string repository, byte[] content, IReadOnlyList<PlatformImage> images, IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> indexDescriptorAnnotations, bool tagPlatforms)
    {
        AddBytes(content);
        Descriptor descriptor = Descriptor.For(MediaTypes.OciIndex, content);
        IReadOnlyList<IReadOnlyList<string>> platformTags = tagPlatforms ? PlatformTags.For(images, tags) : [];
        Write(path, descriptor, tags, indexDescriptorAnnotations, PlatformTags.Flatten(images, platformTags));
        return new PublishedIndex(content, descriptor, tags.Select(t => $"{repository}:{t}").ToList(), images) { PlatformTags = platformTags };
    }

    /// <summary>Writes the archive with <paramref name="index"/> as its only image, under every tag.</summary>
    public void Write(string path, Descriptor index, IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> indexDescriptorAnnotations, IReadOnlyList<(Descriptor Image, string Tag)>? imageTags = null)
    {
        var layoutIndex = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = tags.Select(tag =>
            {
                var annotations = new SortedDictionary<string, string>(indexDescriptorAnnotations.ToDictionary(), StringComparer.Ordinal)
                {
                    [RefNameKey] = tag,
                };
                return index with { Annotations = annotations };
            })
            .Concat((imageTags ?? []).Select(t => t.Image with { Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RefNameKey] = t.Tag } }))
            .ToList(),
        };

        WriteLayout(path, layoutIndex.Manifests);
    }

    /// <summary>
    /// Writes the archive with <paramref name="entries"/> as its index.json, each with its own annotations (a local
    /// container engine reads names from them); the blobs they name were added before.
    /// </summary>
    public void WriteLayout(string path, IReadOnlyList<Descriptor> entries)
    {
        var layoutIndex = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries };
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = path + ".partial";
        try
        {
            using FileStream file = File.Create(temporary);
            using var writer = new TarWriter(file, TarEntryFormat.Gnu);
            Add(writer, "oci-layout", () => new MemoryStream(Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}""")));
            Add(writer, "index.json", () => new MemoryStream(OciJson.Serialize(layoutIndex)));
            Add(writer, "blobs/", null);
            Add(writer, "blobs/sha256/", null);
            foreach ((string name, Func<Stream> open) in _blobs)
            {
                Add(writer, name, open);
            }
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        // Written beside and moved into place, so a failed write never leaves a half archive under the name.
        File.Move(temporary, path, overwrite: true);
    }

    public const string RefNameKey = "org.opencontainers.image.ref.name";

    private static void Add(TarWriter writer, string name, Func<Stream>? open)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(0);
        var entry = new GnuTarEntry(open is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
        {
            ModificationTime = time,
            AccessTime = time,
            ChangeTime = time,
            Mode = open is null ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
        };
        if (open is null)
        {
            writer.WriteEntry(entry);
            return;
        }

        using Stream content = open();
        entry.DataStream = content;
        writer.WriteEntry(entry);
    }
}
