using System.Diagnostics;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>Pushes an index under every tag, but only once every child is confirmed present in the repository.</summary>
internal sealed class IndexPublisher
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

    /// <summary>
    /// Pushes the given children again, when the registry refuses the index because it misses one of them
    /// (MANIFEST_BLOB_UNKNOWN); the index is then pushed once more. Without it, that refusal is the error.
    /// </summary>
    public Func<IReadOnlyList<PlatformImage>, CancellationToken, Task>? RestoreChildren { get; init; }

    public Task<PublishedIndex> PublishAsync(string repository, IReadOnlyList<PlatformImage> images, ImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        PublishAsync(repository, images, OciJson.Serialize(index), index.MediaType ?? MediaTypes.OciIndex, tags, cancellationToken);

    /// <summary>Pushes the index's exact bytes (<paramref name="content"/>, of <paramref name="mediaType"/>).</summary>
    public async Task<PublishedIndex> PublishAsync(
        string repository, IReadOnlyList<PlatformImage> images, byte[] content, string mediaType, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        await PublishIfAsync(repository, images, content, mediaType, tags, mayMoveTags: null, cancellationToken).ConfigureAwait(false)
            ?? throw new UnreachableException();

    /// <summary>
    /// <see cref="PublishAsync(string, IReadOnlyList{PlatformImage}, byte[], string, IReadOnlyList{string}, CancellationToken)"/>,
    /// with <paramref name="mayMoveTags"/> asked right before the first tag moves, after every child and tag check (an
    /// appending merge checks there that the index it appends to did not move meanwhile). When it answers false, no
    /// tag moves and the result is null.
    /// </summary>
    public async Task<PublishedIndex?> PublishIfAsync(
        string repository, IReadOnlyList<PlatformImage> images, byte[] content, string mediaType, IReadOnlyList<string> tags,
        Func<CancellationToken, Task<bool>>? mayMoveTags, CancellationToken cancellationToken)
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

        var moves = new List<(string Tag, byte[] Content, string MediaType, Digest Digest)>();
        for (int i = 0; i < platformTags.Count; i++)
        {
            List<string> moving = await MovingAsync(repository, platformTags[i], images[i].Manifest.Digest, cancellationToken).ConfigureAwait(false);
            if (moving.Count > 0)
            {
                ManifestContent manifest = await _registry.GetManifestAsync(repository, images[i].Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                moves.AddRange(moving.Select(tag => (tag, manifest.Content, manifest.MediaType, images[i].Manifest.Digest)));
            }
        }

        Descriptor descriptor = Descriptor.For(mediaType, content);
        moves.AddRange((await MovingAsync(repository, tags, descriptor.Digest, cancellationToken).ConfigureAwait(false)).Select(tag => (tag, content, descriptor.MediaType, descriptor.Digest)));
        if (moves.Count > 0 && mayMoveTags is not null && !await mayMoveTags(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var moved = new List<string>();
        foreach ((string tag, byte[] bytes, string type, Digest digest) in moves)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await PutTagAsync(repository, tag, bytes, type, images, cancellationToken).ConfigureAwait(false);
            }
            catch (MultiArchException ex) when (moved.Count > 0)
            {
                // Some tags moved already: say exactly which did and which did not.
                string notMoved = string.Join(", ", moves.Select(m => m.Tag).SkipWhile(t => t != tag));
                throw new MultiArchException(MessageIds.TagsPartlyMoved, tag, $"{_registry.Registry}/{repository}", digest, ex.Diagnostic.Text, string.Join(", ", moved), notMoved);
            }

            moved.Add(tag);
            if (digest != descriptor.Digest)
            {
                _log($"Tagged the image {_registry.Registry}/{repository}@{digest} as {tag}");
            }
        }

        var names = tags.Select(tag => $"{_registry.Registry}/{repository}:{tag}").ToList();
        _log($"Pushed image index {_registry.Registry}/{repository}@{descriptor.Digest} as {string.Join(", ", tags)}");
        return new PublishedIndex(content, descriptor, names, images) { PlatformTags = platformTags };
    }

    /// <summary>
    /// Puts a tag. An index the registry refuses because a child is missing (MANIFEST_BLOB_UNKNOWN) is put once more
    /// after <see cref="RestoreChildren"/> pushed the missing children again.
    /// </summary>
    private async Task PutTagAsync(string repository, string tag, byte[] content, string mediaType, IReadOnlyList<PlatformImage> images, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.PutManifestAsync(repository, tag, content, mediaType, cancellationToken).ConfigureAwait(false);
        }
        catch (Registry.RegistryException ex) when (ex.ErrorCode == "MANIFEST_BLOB_UNKNOWN" && RestoreChildren is { } restore && MediaTypes.IsIndex(mediaType))
        {
            var missing = new List<PlatformImage>();
            foreach (PlatformImage image in images)
            {
                if (await _registry.ManifestSizeAsync(repository, image.Manifest.Digest, cancellationToken).ConfigureAwait(false) != image.Manifest.Size)
                {
                    missing.Add(image);
                }
            }

            _log($"{_registry.Registry}/{repository} refused the index for a missing child ({ex.ErrorCode}); pushing {missing.Count} child(ren) again, then the index once more.");
            await restore(missing, cancellationToken).ConfigureAwait(false);
            await _registry.PutManifestAsync(repository, tag, content, mediaType, cancellationToken).ConfigureAwait(false);
        }
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
