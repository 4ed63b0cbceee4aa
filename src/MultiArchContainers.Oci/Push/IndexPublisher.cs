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

    public async Task<PublishedIndex> PublishAsync(string repository, IReadOnlyList<PlatformImage> images, ImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<string>> platformTags = TagPlatforms ? PlatformTags.For(images, tags) : [];
        foreach (PlatformImage image in images)
        {
            if (!await _registry.ManifestExistsAsync(repository, image.Manifest.Digest, cancellationToken).ConfigureAwait(false))
            {
                throw new MultiArchException(MessageIds.ChildManifestMissing, image.Platform, image.Manifest.Digest, $"{_registry.Registry}/{repository}");
            }
        }

        for (int i = 0; i < platformTags.Count; i++)
        {
            if (platformTags[i].Count == 0)
            {
                continue;
            }

            ManifestContent manifest = await _registry.GetManifestAsync(repository, images[i].Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            foreach (string tag in platformTags[i])
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _registry.PutManifestAsync(repository, tag, manifest.Content, manifest.MediaType, cancellationToken).ConfigureAwait(false);
            }

            _log($"Tagged the {images[i].Platform} image {_registry.Registry}/{repository}@{images[i].Manifest.Digest} as {string.Join(", ", platformTags[i])}");
        }

        byte[] content = OciJson.Serialize(index);
        Descriptor descriptor = Descriptor.For(index.MediaType ?? MediaTypes.OciIndex, content);
        var names = new List<string>(tags.Count);
        foreach (string tag in tags)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _registry.PutManifestAsync(repository, tag, content, descriptor.MediaType, cancellationToken).ConfigureAwait(false);
            names.Add($"{_registry.Registry}/{repository}:{tag}");
        }

        _log($"Pushed image index {_registry.Registry}/{repository}@{descriptor.Digest} as {string.Join(", ", tags)}");
        return new PublishedIndex(content, descriptor, names, images) { PlatformTags = platformTags };
    }
}
