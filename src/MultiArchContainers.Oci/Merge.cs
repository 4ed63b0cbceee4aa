using System.Text.Json;
using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci;

/// <summary>
/// One manifest a merge takes over: where it lives now and its descriptor (platform included). <see cref="Label"/>
/// names it in messages and annotation qualifiers: the RID when known, else the platform.
/// </summary>
public sealed record MergeEntry(string Source, string Registry, string Repository, Descriptor Manifest, string Label)
{
    /// <summary>For a source that is an OCI archive: the unpacked layout holding the blobs; else null.</summary>
    public string? LayoutRoot { get; init; }

    public bool IsAttestation => Manifest.Platform is { Os: "unknown", Architecture: "unknown" };

    /// <summary>The image an attestation describes (<c>vnd.docker.reference.digest</c>), if any.</summary>
    public string? AttestedDigest => Manifest.Annotations?.GetValueOrDefault(ReferenceDigestKey);

    public const string ReferenceDigestKey = "vnd.docker.reference.digest";
}

/// <summary>
/// Turns merge sources (metadata files, image references, indexes, OCI archives) into the manifests they stand for.
/// Archives are unpacked below <c>workingDirectory</c>.
/// </summary>
public sealed class MergeSourceResolver
{
    private readonly Func<string, RegistryClient> _clients;
    private readonly string _workingDirectory;

    public MergeSourceResolver(Func<string, RegistryClient> clients, string workingDirectory)
    {
        _clients = clients;
        _workingDirectory = workingDirectory;
    }

    public async Task<IReadOnlyList<MergeEntry>> ResolveAsync(string source, CancellationToken cancellationToken)
    {
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ReadMetadataFile(source);
        }

        if (ArchivePath(source) is { } archive)
        {
            return ReadArchive(source, archive.Path, archive.Tag);
        }

        ImageReference? reference = ImageReference.TryParse(source, out string? error);
        if (reference is null || reference.Registry.Length == 0)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, source, error ?? "it names no registry");
        }

        RegistryClient client = _clients(reference.Registry);
        ManifestContent manifest = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            ImageIndex index = OciJson.Deserialize<ImageIndex>(manifest.Content, "the source index");
            return index.Manifests
                .Where(m => m.Platform is not null)
                .Select(m => new MergeEntry(source, reference.Registry, reference.Repository, m, m.Platform!.ToString()))
                .ToList();
        }

        if (!MediaTypes.IsImageManifest(manifest.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, source, manifest.MediaType);
        }

        ImageManifest image = OciJson.Deserialize<ImageManifest>(manifest.Content, "the source manifest");
        byte[] config = await client.GetBlobAsync(reference.Repository, image.Config.Digest, cancellationToken).ConfigureAwait(false);
        Platform platform = OciJson.Deserialize<ImageConfig>(config, "the source config").ToPlatform()
            ?? throw new MultiArchException(MessageIds.MergeSourceInvalid, source, "its config names no os or architecture");
        var descriptor = new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Content.LongLength, Platform = platform };
        return [new MergeEntry(source, reference.Registry, reference.Repository, descriptor, platform.ToString())];
    }

    /// <summary><c>PATH</c> or <c>PATH:TAG</c> of an existing OCI archive; null when the source is not one.</summary>
    private static (string Path, string? Tag)? ArchivePath(string source)
    {
        if (File.Exists(source))
        {
            return (source, null);
        }

        int colon = source.LastIndexOf(':');
        return colon > 1 && File.Exists(source[..colon]) ? (source[..colon], source[(colon + 1)..]) : null;
    }

    /// <summary>The image or index an OCI archive names (by tag when it names several), with its blobs unpacked.</summary>
    private List<MergeEntry> ReadArchive(string source, string path, string? tag)
    {
        string root = Path.Combine(_workingDirectory, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            System.Formats.Tar.TarFile.ExtractToDirectory(path, root, overwriteFiles: true);
            ImageIndex layout = OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(Path.Combine(root, "index.json")), "index.json");
            List<Descriptor> named = layout.Manifests
                .Where(m => tag is null || m.Annotations?.GetValueOrDefault(Layout.OciArchiveWriter.RefNameKey) == tag)
                .DistinctBy(m => m.Digest)
                .ToList();
            if (named.Count != 1)
            {
                string tags = string.Join(", ", layout.Manifests.Select(m => m.Annotations?.GetValueOrDefault(Layout.OciArchiveWriter.RefNameKey)).OfType<string>());
                throw new MultiArchException(MessageIds.MergeSourceInvalid, source, tag is null
                    ? $"the archive names {named.Count} different images; add ':TAG' (its tags: {tags})"
                    : $"the archive has no image tagged '{tag}' (its tags: {tags})");
            }

            Descriptor top = named[0];
            byte[] bytes = File.ReadAllBytes(Path.Combine(root, "blobs", top.Digest.Algorithm, top.Digest.Encoded));
            if (!top.Digest.Matches(bytes))
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, source, $"the blob {top.Digest} does not match its digest");
            }

            IEnumerable<Descriptor> manifests = MediaTypes.IsIndex(top.MediaType)
                ? OciJson.Deserialize<ImageIndex>(bytes, "the archived index").Manifests.Where(m => m.Platform is not null)
                : [top with { Platform = Layout.OciLayoutImage.FromManifest(root, top.MediaType, bytes, source).ManifestDescriptor.Platform, Annotations = null }];
            return manifests.Select(m => new MergeEntry(source, string.Empty, string.Empty, m, m.Platform!.ToString()) { LayoutRoot = root }).ToList();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or FormatException)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, source, $"it is not a readable OCI archive ({ex.Message})");
        }
    }

    /// <summary>A metadata file of PublishPlatformImage (one image) or of PublishMultiArch/MergeMultiArch (an index).</summary>
    private static List<MergeEntry> ReadMetadataFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, "the file does not exist");
        }

        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty");
            if (root["platforms"] is JsonArray platforms)
            {
                ImageReference name = ImageReference.Parse(root["image.name"]!.GetValue<string>().Split(',')[0]);
                return platforms.Select(p => new MergeEntry(
                    path,
                    name.Registry,
                    name.Repository,
                    new Descriptor
                    {
                        MediaType = p!["mediaType"]!.GetValue<string>(),
                        Digest = Digest.Parse(p["digest"]!.GetValue<string>()),
                        Size = p["size"]!.GetValue<long>(),
                        Platform = Annotations.ParseQualifier(p["platform"]!.GetValue<string>()),
                    },
                    p["rid"]!.GetValue<string>())).ToList();
            }

            Descriptor descriptor = OciJson.Deserialize<Descriptor>(System.Text.Encoding.UTF8.GetBytes(root["containerimage.descriptor"]!.ToJsonString()), "containerimage.descriptor");
            if (descriptor.Platform is null)
            {
                throw new JsonException("containerimage.descriptor has no platform");
            }

            return
            [
                new MergeEntry(
                    path,
                    root["registry"]!.GetValue<string>(),
                    root["repository"]!.GetValue<string>(),
                    descriptor,
                    root["rid"]?.GetValue<string>() ?? descriptor.Platform.ToString()),
            ];
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"it is not a metadata file of this SDK ({ex.Message})");
        }
    }
}

/// <summary>
/// Copies a manifest and everything it refers to into the target repository: nothing that is already there, blobs
/// mounted when the source is on the same registry, streamed (never held whole in memory) when it is not.
/// </summary>
public sealed class ImageCopier
{
    private readonly Func<string, RegistryClient> _clients;
    private readonly RegistryClient? _target;
    private readonly string _repository;

    /// <param name="clients">Registry clients by registry name.</param>
    /// <param name="target">The target registry; null when the merge writes an archive only.</param>
    /// <param name="repository">The target repository.</param>
    public ImageCopier(Func<string, RegistryClient> clients, RegistryClient? target, string repository)
    {
        _clients = clients;
        _target = target;
        _repository = repository;
    }

    public async Task<byte[]> ReadManifestAsync(MergeEntry entry, CancellationToken cancellationToken)
    {
        if (entry.LayoutRoot is not null)
        {
            byte[] bytes = await File.ReadAllBytesAsync(BlobPath(entry.LayoutRoot, entry.Manifest.Digest), cancellationToken).ConfigureAwait(false);
            return entry.Manifest.Digest.Matches(bytes)
                ? bytes
                : throw new MultiArchException(MessageIds.MergeSourceInvalid, entry.Source, $"the blob {entry.Manifest.Digest} does not match its digest");
        }

        ManifestContent content = await _clients(entry.Registry).GetManifestAsync(entry.Repository, entry.Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        return content.Content;
    }

    /// <summary>Copies the blobs of <paramref name="manifestBytes"/> and then the manifest itself, by its digest.</summary>
    public async Task CopyAsync(MergeEntry entry, byte[] manifestBytes, CancellationToken cancellationToken)
    {
        RegistryClient target = _target ?? throw new InvalidOperationException("No target registry to copy to.");
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "a source manifest");
        bool sameRegistry = entry.LayoutRoot is null && string.Equals(entry.Registry, target.Registry, StringComparison.OrdinalIgnoreCase);
        foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (await target.BlobExistsAsync(_repository, blob.Digest, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (sameRegistry && await target.TryMountBlobAsync(_repository, blob.Digest, entry.Repository, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Func<Stream> open = entry.LayoutRoot is { } root
                ? () => File.OpenRead(BlobPath(root, blob.Digest))
                : () => _clients(entry.Registry).OpenBlobAsync(entry.Repository, blob.Digest, cancellationToken).GetAwaiter().GetResult();
            await target.UploadBlobAsync(_repository, blob.Digest, blob.Size, open, cancellationToken).ConfigureAwait(false);
        }

        await target.PutManifestAsync(_repository, Digest.Sha256(manifestBytes).ToString(), manifestBytes, entry.Manifest.MediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a manifest and its blobs into an archive: blobs from an unpacked source archive are used in place,
    /// blobs in a registry are streamed to files below <paramref name="downloads"/> first.
    /// </summary>
    public async Task AddToArchiveAsync(Layout.OciArchiveWriter archive, MergeEntry entry, byte[] manifestBytes, string downloads, CancellationToken cancellationToken)
    {
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "a source manifest");
        foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (entry.LayoutRoot is { } root)
            {
                archive.AddFile(blob.Digest, BlobPath(root, blob.Digest));
                continue;
            }

            string path = BlobPath(downloads, blob.Digest);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (Stream source = await _clients(entry.Registry).OpenBlobAsync(entry.Repository, blob.Digest, cancellationToken).ConfigureAwait(false))
                await using (FileStream file = File.Create(path))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                await using FileStream check = File.OpenRead(path);
                Digest actual = await Digest.Sha256Async(check, cancellationToken).ConfigureAwait(false);
                if (actual != blob.Digest)
                {
                    throw new MultiArchException(MessageIds.DigestMismatch, $"{entry.Repository}@{blob.Digest}", entry.Registry, actual, blob.Digest);
                }
            }

            archive.AddFile(blob.Digest, path);
        }

        archive.AddBytes(manifestBytes);
    }

    private static string BlobPath(string root, Digest digest) => Path.Combine(root, "blobs", digest.Algorithm, digest.Encoded);
}
