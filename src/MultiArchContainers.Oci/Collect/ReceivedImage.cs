using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// An image a build node sent back as an OCI archive, with the attestation manifest it reported beside it: accepted
/// only when the archive holds the image the node named (by digest), then kept as a layout for an archive output, or
/// pushed by digest with its attestation.
/// </summary>
/// <param name="Label">The RID it was built for.</param>
/// <param name="Node">The node's name, for the error.</param>
/// <param name="Image">The image the node reported.</param>
/// <param name="Attestation">Its attestation manifest, when the node made one.</param>
/// <param name="ArchivePath">The archive the node sent.</param>
internal sealed record ReceivedImage(string Label, string Node, PlatformImage Image, PlatformImage? Attestation, string ArchivePath)
{
    /// <summary>Opens the archive into <paramref name="folder"/> and checks it holds <see cref="Image"/>.</summary>
    public OciLayoutImage Open(string folder)
    {
        OciLayoutImage layout = OciLayoutImage.ExtractAndOpen(ArchivePath, folder);
        if (layout.ManifestDescriptor.Digest != Image.Manifest.Digest)
        {
            throw new MultiArchException(MessageIds.DigestMismatch, $"the {Label} image", $"node {Node}", layout.ManifestDescriptor.Digest, Image.Manifest.Digest);
        }

        return layout;
    }

    /// <summary>The image and its attestation, kept in the checked layout (their blobs are both in the archive).</summary>
    public IEnumerable<(PlatformImage Image, string? LayoutRoot)> Keep(string folder)
    {
        OciLayoutImage layout = Open(folder);
        yield return (new PlatformImage(Label, layout.ManifestDescriptor), layout.Root);
        if (Attestation is not null)
        {
            yield return (Attestation, layout.Root);
        }
    }

    /// <summary>The image and its attestation from the checked layout, pushed by digest to <paramref name="repository"/>.</summary>
    public async Task<List<(PlatformImage Image, string? LayoutRoot)>> PushAsync(string folder, IRegistryClient client, string repository, Action<string> log, CancellationToken cancellationToken)
    {
        OciLayoutImage layout = Open(folder);
        var pusher = new ImagePusher(client, log);
        var pushed = new List<(PlatformImage, string?)> { (await pusher.PushAsync(Label, layout, repository, [], cancellationToken).ConfigureAwait(false), null) };
        if (Attestation is not null)
        {
            string source = Path.GetFileName(ArchivePath);
            byte[] manifest = OciLayoutImage.ReadVerified(layout.Root, Attestation.Manifest.Digest, source);
            await pusher.PushAsync(Attestation.Label, OciLayoutImage.FromManifest(layout.Root, Attestation.Manifest.MediaType, manifest, source), repository, [], cancellationToken).ConfigureAwait(false);
            pushed.Add((Attestation, null));
        }

        return pushed;
    }
}
