using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Collect.Incremental;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>Pushes one image from an OCI layout into a repository by digest, with no tag.</summary>
internal sealed class ImagePusher
{
    private readonly IRegistryClient _client;
    private readonly IBlobStore _blobs;
    private readonly IManifestStore _manifests;
    private readonly Action<string> _log;

    public ImagePusher(IRegistryClient client, Action<string> log)
    {
        _client = client;
        _blobs = client;
        _manifests = client;
        _log = log;
    }

    /// <summary>
    /// Uploads every blob the repository lacks (mounting from <paramref name="mountFrom"/> where the registry
    /// already has it), then the manifest by its digest. Returns the manifest descriptor with its platform.
    /// </summary>
    public async Task<PlatformImage> PushAsync(string runtimeIdentifier, OciLayoutImage image, string repository, IReadOnlyList<string> mountFrom, CancellationToken cancellationToken)
    {
        // A manifest the registry holds already has every blob it names (the registry checked them when it was
        // pushed): one HEAD confirms the image, and nothing is written.
        Descriptor manifest = image.ManifestDescriptor;
        if (await _manifests.ManifestSizeAsync(repository, manifest.Digest, cancellationToken).ConfigureAwait(false) == manifest.Size)
        {
            _log($"{runtimeIdentifier}: the {manifest.Platform} image {_manifests.Registry}/{repository}@{manifest.Digest} is there already");
            return new PlatformImage(runtimeIdentifier, manifest);
        }

        IEnumerable<Descriptor> blobs = image.Manifest.Layers.Prepend(image.Manifest.Config);
        await Parallel.ForEachAsync(
            blobs,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (blob, token) => await PushBlobAsync(image, blob, repository, mountFrom, token).ConfigureAwait(false)).ConfigureAwait(false);

        Digest digest = await _manifests.PutManifestAsync(repository, image.ManifestDescriptor.Digest.ToString(), image.ManifestBytes, image.ManifestDescriptor.MediaType, cancellationToken).ConfigureAwait(false);
        _log($"{runtimeIdentifier}: pushed {image.ManifestDescriptor.Platform} image {_manifests.Registry}/{repository}@{digest}");
        return new PlatformImage(runtimeIdentifier, image.ManifestDescriptor);
    }

    /// <summary>
    /// The images of <paramref name="record"/> when the repository still holds every manifest it names, at its size
    /// (one HEAD each); null otherwise, and the image has to be pushed again.
    /// </summary>
    public async Task<(PlatformImage Image, PlatformImage? Attestation)?> ConfirmAsync(string runtimeIdentifier, PushRecord record, string repository, CancellationToken cancellationToken)
    {
        foreach (Descriptor manifest in new[] { record.Manifest, record.Attestation }.OfType<Descriptor>())
        {
            if (await _manifests.ManifestSizeAsync(repository, manifest.Digest, cancellationToken).ConfigureAwait(false) != manifest.Size)
            {
                return null;
            }
        }

        _log($"{runtimeIdentifier}: the {record.Manifest.Platform} image {_manifests.Registry}/{repository}@{record.Manifest.Digest} is there already");
        return (new PlatformImage(runtimeIdentifier, record.Manifest),
            record.Attestation is { } attestation ? new PlatformImage(Collect.Attest.AttestationRequest.LabelFor(runtimeIdentifier), attestation) : null);
    }

    /// <summary>
    /// Pushes the attestation manifest of an image by digest (its blobs were written into the image's layout at
    /// <paramref name="layoutRoot"/>) and returns it as the index lists it: platform unknown/unknown, annotated with the
    /// image it describes.
    /// </summary>
    public async Task<PlatformImage> PushAttestationAsync(string runtimeIdentifier, string layoutRoot, Collect.Attest.Attestation attestation, string repository, CancellationToken cancellationToken)
    {
        string label = Collect.Attest.AttestationRequest.LabelFor(runtimeIdentifier);
        OciLayoutImage manifest = OciLayoutImage.FromManifest(layoutRoot, MediaTypes.OciManifest, attestation.Manifest, $"the attestation of {runtimeIdentifier}");
        await PushAsync(label, manifest, repository, [], cancellationToken).ConfigureAwait(false);
        if (manifest.Manifest.Subject is { } subject)
        {
            // The artifact form: findable through the referrers API, or the fallback tag where there is none.
            await new ReferrerStore(_client, repository).AttachAsync(subject.Digest, new System.Text.Json.Nodes.JsonObject
            {
                ["mediaType"] = MediaTypes.OciManifest,
                ["digest"] = attestation.Descriptor.Digest.ToString(),
                ["size"] = attestation.Descriptor.Size,
                ["artifactType"] = manifest.Manifest.ArtifactType,
            }, cancellationToken).ConfigureAwait(false);
        }

        return new PlatformImage(label, attestation.Descriptor);
    }

    private async Task PushBlobAsync(OciLayoutImage image, Descriptor blob, string repository, IReadOnlyList<string> mountFrom, CancellationToken cancellationToken)
    {
        if (await _blobs.BlobExistsAsync(repository, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (string source in mountFrom.Where(s => s != repository))
        {
            if (await _blobs.TryMountBlobAsync(repository, blob.Digest, source, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        string path = image.BlobPath(blob.Digest);
        await _blobs.UploadBlobAsync(repository, blob.Digest, blob.Size, () => File.OpenRead(path), cancellationToken).ConfigureAwait(false);
    }
}
