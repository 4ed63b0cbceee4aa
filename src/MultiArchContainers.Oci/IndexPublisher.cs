using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci;

/// <summary>The index as pushed: its bytes, descriptor and the full names it was pushed under.</summary>
public sealed record PublishedIndex(byte[] Content, Descriptor Descriptor, IReadOnlyList<string> Names, IReadOnlyList<PlatformImage> Images);

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

    public async Task<PublishedIndex> PublishAsync(string repository, IReadOnlyList<PlatformImage> images, ImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (PlatformImage image in images)
        {
            if (!await _client.ManifestExistsAsync(repository, image.Manifest.Digest, cancellationToken).ConfigureAwait(false))
            {
                throw new MultiArchException(MessageIds.ChildManifestMissing, image.Platform, image.Manifest.Digest, $"{_client.Registry}/{repository}");
            }
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
        return new PublishedIndex(content, descriptor, names, images);
    }
}
