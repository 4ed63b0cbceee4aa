using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Registry;
using MultiArchContainers.Oci.Report;

namespace MultiArchContainers.Oci.Merge;

/// <summary>
/// Turns merge sources (metadata files, image references, indexes, OCI archives) into the manifests they stand for.
/// Archives are unpacked below <c>workingDirectory</c> as untrusted input.
/// </summary>
internal sealed class MergeSourceResolver
{
    private readonly Func<string, IRegistryClient> _clients;
    private readonly string _workingDirectory;

    /// <param name="clients">Clients by registry name; shared, not disposed here.</param>
    /// <param name="workingDirectory">Where archives are unpacked.</param>
    public MergeSourceResolver(Func<string, IRegistryClient> clients, string workingDirectory)
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

        var images = await RemoteImageReader.ReadAsync(_clients(reference.Registry), reference, cancellationToken).ConfigureAwait(false);
        if (images is [{ Descriptor.Platform: null }])
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, source, "its config names no os or architecture");
        }

        return images.Select(m => new MergeEntry(source, reference.Registry, reference.Repository, m.Descriptor, m.Descriptor.Platform!.ToString()) { ManifestBytes = m.Manifest }).ToList();
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
        try
        {
            OciArchiveReader.Extract(path, root, source);
            ImageIndex layout = OciJson.Deserialize<ImageIndex>(OciLayoutImage.ReadDocument(root, "index.json", source), "index.json");
            List<Descriptor> named = layout.Manifests
                .Where(m => tag is null || m.Annotations?.GetValueOrDefault(OciArchiveWriter.RefNameKey) == tag)
                .DistinctBy(m => m.Digest)
                .ToList();
            if (named.Count != 1)
            {
                string tags = string.Join(", ", layout.Manifests.Select(m => m.Annotations?.GetValueOrDefault(OciArchiveWriter.RefNameKey)).OfType<string>());
                throw new MultiArchException(MessageIds.MergeSourceInvalid, source, tag is null
                    ? $"the archive names {named.Count} different images; add ':TAG' (its tags: {tags})"
                    : $"the archive has no image tagged '{tag}' (its tags: {tags})");
            }

            Descriptor top = named[0];
            byte[] bytes = OciLayoutImage.ReadVerified(root, top.Digest, source);
            IEnumerable<Descriptor> manifests = MediaTypes.IsIndex(top.MediaType)
                ? OciJson.Deserialize<ImageIndex>(bytes, "the archived index").Manifests.Where(m => m.Platform is not null).ToList()
                : [top with { Platform = OciLayoutImage.FromManifest(root, top.MediaType, bytes, source).ManifestDescriptor.Platform, Annotations = null }];
            if (Platform.FirstBlank(manifests) is { } blank)
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, source, $"its index lists {blank.Digest} with a platform that names no os or no architecture");
            }

            return manifests.Select(m => new MergeEntry(source, string.Empty, string.Empty, m, m.Platform!.ToString()) { LayoutRoot = root }).ToList();
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, source, $"it is not a readable OCI archive ({ex.Message})");
        }
    }

    /// <summary>A metadata file of PublishPlatformImage (one image) or of PublishMultiArch/MergeMultiArch (an index).</summary>
    private static List<MergeEntry> ReadMetadataFile(string path)
    {
        MetadataDocument document = MetadataFile.Read(path);
        string registry;
        string repository;
        if (document.Platforms is not null)
        {
            // An index's images live where its first name points.
            ImageReference? name = ImageReference.TryParse(document.ImageName.Split(',')[0], out string? error);
            if (name is null)
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"its image.name is not a reference ({error})");
            }

            (registry, repository) = (name.Registry, name.Repository);
        }
        else
        {
            registry = document.Registry ?? string.Empty;
            repository = document.Repository ?? string.Empty;
            if (!ImageReference.IsValidRegistry(registry) || !ImageReference.IsValidRepository(repository, out _))
            {
                throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"its registry '{registry}' or repository '{repository}' is not valid");
            }
        }

        return document.Images()!.Select(image => new MergeEntry(path, registry, repository, image.Manifest, image.Label)).ToList();
    }
}
