namespace MultiArchContainers.Oci.Layout;

/// <summary>
/// One image in an OCI image layout folder (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/</c>), as the .NET SDK
/// writes it for <c>ContainerArchiveOutputPath</c>. The manifest and config are read and verified; layers stay on disk.
/// </summary>
internal sealed class OciLayoutImage
{
    private OciLayoutImage(string root, Descriptor manifestDescriptor, byte[] manifestBytes, ImageManifest manifest, ImageConfig config)
    {
        Root = root;
        ManifestDescriptor = manifestDescriptor;
        ManifestBytes = manifestBytes;
        Manifest = manifest;
        Config = config;
    }

    public string Root { get; }

    /// <summary>The manifest's descriptor, with the platform taken from the config.</summary>
    public Descriptor ManifestDescriptor { get; }

    public byte[] ManifestBytes { get; }

    public ImageManifest Manifest { get; }

    public ImageConfig Config { get; }

    /// <summary>Unpacks a layout tarball into <paramref name="folder"/> (emptied first) and opens it.</summary>
    public static OciLayoutImage ExtractAndOpen(string archivePath, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        OciArchiveReader.Extract(archivePath, folder, archivePath);
        return Open(folder, archivePath);
    }

    public static OciLayoutImage Open(string root, string? displayName = null)
    {
        string name = displayName ?? root;
        string indexPath = Path.Combine(root, "index.json");
        if (!File.Exists(Path.Combine(root, "oci-layout")) || !File.Exists(indexPath))
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, "oci-layout or index.json is missing");
        }

        try
        {
            ImageIndex index = OciJson.Deserialize<ImageIndex>(ReadDocument(root, "index.json", name), "index.json");
            // The SDK lists the image once per tag; every entry must name the same manifest.
            int distinct = index.Manifests.Select(m => m.Digest).Distinct().Count();
            if (distinct != 1 || !MediaTypes.IsImageManifest(index.Manifests[0].MediaType))
            {
                throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"index.json names {distinct} different manifests; one image manifest was expected");
            }

            Descriptor entry = index.Manifests[0];
            return FromManifest(root, entry.MediaType, ReadVerified(root, entry.Digest, name), name);
        }
        catch (JsonException ex)
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, ex.Message);
        }
    }

    /// <summary>
    /// The image described by <paramref name="manifestBytes"/>, whose config and layers are blobs of the layout at
    /// <paramref name="root"/>. Used for the layout's own manifest and for rewritten ones.
    /// </summary>
    public static OciLayoutImage FromManifest(string root, string mediaType, byte[] manifestBytes, string name)
    {
        try
        {
            ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "the manifest");
            ImageConfig config = OciJson.Deserialize<ImageConfig>(ReadVerified(root, manifest.Config.Digest, name), "the image config");
            // An OCI 1.1 artifact (an attestation manifest in that form) has an empty config and runs nowhere.
            Platform platform = config.ToPlatform()
                ?? (manifest.ArtifactType is { Length: > 0 } && manifest.Config.MediaType == MediaTypes.OciEmpty ? new Platform { Os = "unknown", Architecture = "unknown" } : null)
                ?? throw new MultiArchException(MessageIds.ArchiveInvalid, name, "the image config has no os or architecture");
            var descriptor = new Descriptor
            {
                MediaType = mediaType,
                Digest = Digest.Sha256(manifestBytes),
                Size = manifestBytes.LongLength,
                Platform = platform,
            };
            return new OciLayoutImage(root, descriptor, manifestBytes, manifest, config);
        }
        catch (JsonException ex)
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, ex.Message);
        }
    }

    /// <summary>Stores <paramref name="content"/> as a blob of this layout and returns its digest.</summary>
    public Digest WriteBlob(byte[] content)
    {
        Digest digest = Digest.Sha256(content);
        string path = BlobPath(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return digest;
    }

    public string BlobPath(Digest digest) => OciLayoutPaths.Blob(Root, digest);

    public byte[] ReadBlob(Digest digest) => ReadVerified(Root, digest, Root);

    /// <summary>oci-layout or index.json of a layout, bounded in size.</summary>
    public static byte[] ReadDocument(string root, string fileName, string name)
    {
        string path = Path.Combine(root, fileName);
        if (!File.Exists(path))
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"{fileName} is missing");
        }

        return new FileInfo(path).Length <= OciArchiveReader.DocumentLimit
            ? File.ReadAllBytes(path)
            : throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"{fileName} is larger than {OciArchiveReader.DocumentLimit} bytes");
    }

    /// <summary>A manifest or config of the layout, bounded in size and checked against its digest.</summary>
    public static byte[] ReadVerified(string root, Digest digest, string name)
    {
        string path = OciLayoutPaths.Blob(root, digest);
        if (!File.Exists(path))
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"the blob {digest} is missing");
        }

        if (new FileInfo(path).Length > OciArchiveReader.DocumentLimit)
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"the blob {digest} is larger than a manifest or config can be");
        }

        byte[] content = File.ReadAllBytes(path);
        if (!digest.Matches(content))
        {
            throw new MultiArchException(MessageIds.ArchiveInvalid, name, $"the blob {digest} does not match its digest");
        }

        return content;
    }

    /// <summary>A layer of the layout as a stream that checks its digest and size while it is read.</summary>
    public Stream OpenBlob(Descriptor blob, string name) =>
        new VerifyingStream(File.OpenRead(BlobPath(blob.Digest)), blob.Digest, blob.Size, blob.Digest.ToString(), name);
}
