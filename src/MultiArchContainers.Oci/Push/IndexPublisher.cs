using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>Pushes an index under every tag, but only once every child is confirmed present in the repository.</summary>
public sealed class IndexPublisher
{
    private readonly IManifestStore _registry;
    private readonly Action<string> _log;

    public IndexPublisher(IManifestStore registry, Action<string> log)
    {
        _registry = registry;
        _log = log;
    }

    /// <summary>
    /// Also tags every image on its own (<see cref="PlatformTags"/>) for each tag, after every child is confirmed and
    /// just before the index. Attestations get no tag.
    /// </summary>
    public bool TagPlatforms { get; init; }

    /// <summary>Children the caller has just confirmed in the repository (with their size); they are not asked for again.</summary>
    public IReadOnlySet<Digest> Confirmed { get; init; } = new HashSet<Digest>();

    public async Task<PublishedIndex> PublishAsync(string repository, IReadOnlyList<PlatformImage> images, ImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<string>> platformTags = TagPlatforms ? PlatformTags.For(images, tags) : [];
        foreach (PlatformImage image in images.Where(i => !Confirmed.Contains(i.Manifest.Digest)))
        {
            long? size = await _registry.ManifestSizeAsync(repository, image.Manifest.Digest, cancellationToken).ConfigureAwait(false);
            if (size is null)
            {
                throw new MultiArchException(MessageIds.ChildManifestMissing, image.Platform, image.Manifest.Digest, $"{_registry.Registry}/{repository}");
            }

            if (size != image.Manifest.Size)
            {
                throw new MultiArchException(MessageIds.BlobSizeMismatch, image.Manifest.Digest, $"{_registry.Registry}/{repository}", size, image.Manifest.Size);
            }
        }

        for (int i = 0; i < platformTags.Count; i++)
        {
            List<string> moving = await MovingAsync(repository, platformTags[i], images[i].Manifest.Digest, cancellationToken).ConfigureAwait(false);
            if (moving.Count == 0)
            {
                continue;
            }

            ManifestContent manifest = await _registry.GetManifestAsync(repository, images[i].Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            foreach (string tag in moving)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _registry.PutManifestAsync(repository, tag, manifest.Content, manifest.MediaType, cancellationToken).ConfigureAwait(false);
            }

            _log($"Tagged the {images[i].Platform} image {_registry.Registry}/{repository}@{images[i].Manifest.Digest} as {string.Join(", ", moving)}");
        }

        byte[] content = OciJson.Serialize(index);
        Descriptor descriptor = Descriptor.For(index.MediaType ?? MediaTypes.OciIndex, content);
        foreach (string tag in await MovingAsync(repository, tags, descriptor.Digest, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _registry.PutManifestAsync(repository, tag, content, descriptor.MediaType, cancellationToken).ConfigureAwait(false);
        }

        var names = tags.Select(tag => $"{_registry.Registry}/{repository}:{tag}").ToList();
        _log($"Pushed image index {_registry.Registry}/{repository}@{descriptor.Digest} as {string.Join(", ", tags)}");
        return new PublishedIndex(content, descriptor, names, images) { PlatformTags = platformTags };
    }

    /// <summary>The tags that do not point at <paramref name="digest"/> yet (one HEAD each); the others are left alone.</summary>
    private async Task<List<string>> MovingAsync(string repository, IEnumerable<string> tags, Digest digest, CancellationToken cancellationToken)
    {
        var moving = new List<string>();
        foreach (string tag in tags)
        {
            if (await _registry.ResolveManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false) == digest)
            {
                _log($"{_registry.Registry}/{repository}:{tag} already points at {digest}; it is left as it is.");
                continue;
            }

            moving.Add(tag);
        }

        return moving;
    }
}
