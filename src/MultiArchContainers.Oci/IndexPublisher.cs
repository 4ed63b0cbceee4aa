using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci;

/// <summary>
/// The index as pushed: its bytes, descriptor and the full names it was pushed under; <see cref="PlatformTags"/> holds
/// the tags each image got of its own (same order as <see cref="Images"/>, empty unless platform tags were asked for).
/// </summary>
public sealed record PublishedIndex(byte[] Content, Descriptor Descriptor, IReadOnlyList<string> Names, IReadOnlyList<PlatformImage> Images)
{
    public IReadOnlyList<IReadOnlyList<string>> PlatformTags { get; init; } = [];
}

/// <summary>Pushes an index under every tag, but only once every child is confirmed present in the repository.</summary>
public sealed class IndexPublisher
{
    private readonly RegistryClient _client;
    private readonly Action<string> _log;

    public IndexPublisher(RegistryClient client, Action<string> log)
    {
        _client = client;
        _log = log;
    }

    /// <summary>
    /// Also tags every image on its own as <c>&lt;tag&gt;-&lt;rid&gt;</c> for each tag (the platform, as
    /// <c>os-arch[-variant]</c>, for images of unknown RID), just before the index. Attestations get no tag.
    /// </summary>
    public bool TagPlatforms { get; init; }

    /// <summary>The tag an image gets of its own under <paramref name="tag"/>.</summary>
    public static string PlatformTag(string tag, PlatformImage image) =>
        PlatformTag(tag, image.RuntimeIdentifier.Length > 0 ? image.RuntimeIdentifier : image.Platform.ToString());

    /// <summary>The tag of the image for a RID (or a platform, whose '/' become '-') under <paramref name="tag"/>.</summary>
    public static string PlatformTag(string tag, string ridOrPlatform) => tag + "-" + ridOrPlatform.Replace('/', '-');

    /// <summary>Why a platform tag can be invalid and what to do, for MAC2010.</summary>
    public const string PlatformTagRule = ImageReference.TagRule + "; shorten ContainerImageTags or turn ContainerPlatformTags off";

    /// <summary>
    /// Every tag an image gets of its own, per image in order (none for attestations); MAC2010 for one that is not a
    /// valid tag, so nothing moves when one cannot be pushed.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> PlatformTagsOf(IReadOnlyList<PlatformImage> images, IReadOnlyList<string> tags)
    {
        var result = images.Select(image => (IReadOnlyList<string>)(image.IsAttestation ? [] : tags.Select(tag => PlatformTag(tag, image)).ToList())).ToList();
        foreach (string invalid in result.SelectMany(t => t).Where(t => !ImageReference.IsValidTag(t)))
        {
            throw new MultiArchException(MessageIds.InvalidReference, invalid, "platform tag", PlatformTagRule);
        }

        return result;
    }

    /// <summary>The platform tags as (image, tag) pairs, for an OCI archive's index.json.</summary>
    public static List<(Descriptor Image, string Tag)> Flatten(IReadOnlyList<PlatformImage> images, IReadOnlyList<IReadOnlyList<string>> platformTags) =>
        platformTags.SelectMany((tags, i) => tags.Select(tag => (images[i].Manifest, tag))).ToList();

    public async Task<PublishedIndex> PublishAsync(string repository, IReadOnlyList<PlatformImage> images, ImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<string>> platformTags = TagPlatforms ? PlatformTagsOf(images, tags) : [];
        foreach (PlatformImage image in images)
        {
            if (!await _client.ManifestExistsAsync(repository, image.Manifest.Digest, cancellationToken).ConfigureAwait(false))
            {
                throw new MultiArchException(MessageIds.ChildManifestMissing, image.Platform, image.Manifest.Digest, $"{_client.Registry}/{repository}");
            }
        }

        for (int i = 0; i < platformTags.Count; i++)
        {
            if (platformTags[i].Count == 0)
            {
                continue;
            }

            ManifestContent manifest = await _client.GetManifestAsync(repository, images[i].Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            foreach (string tag in platformTags[i])
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _client.PutManifestAsync(repository, tag, manifest.Content, manifest.MediaType, cancellationToken).ConfigureAwait(false);
            }

            _log($"Tagged the {images[i].Platform} image {_client.Registry}/{repository}@{images[i].Manifest.Digest} as {string.Join(", ", platformTags[i])}");
        }

        byte[] content = OciJson.Serialize(index);
        Descriptor descriptor = Descriptor.For(index.MediaType ?? MediaTypes.OciIndex, content);
        var names = new List<string>(tags.Count);
        foreach (string tag in tags)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _client.PutManifestAsync(repository, tag, content, descriptor.MediaType, cancellationToken).ConfigureAwait(false);
            names.Add($"{_client.Registry}/{repository}:{tag}");
        }

        _log($"Pushed image index {_client.Registry}/{repository}@{descriptor.Digest} as {string.Join(", ", tags)}");
        return new PublishedIndex(content, descriptor, names, images) { PlatformTags = platformTags };
    }
}
