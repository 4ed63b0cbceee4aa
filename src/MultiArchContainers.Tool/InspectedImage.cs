using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tool;

/// <summary>
/// What <c>multiarch inspect</c> reads: for an index, its entries (attestation manifests apart, each read once for
/// its predicate types); for an image, its platform (from its config) and layers.
/// </summary>
internal sealed record InspectedImage(string Name, ManifestContent Content)
{
    public bool IsIndex => Content.MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<InspectedEntry> Manifests { get; init; } = [];

    public IReadOnlyList<InspectedEntry> Attestations { get; init; } = [];

    public Platform? Platform { get; init; }

    public Descriptor? Config { get; init; }

    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    public const string PredicateTypeKey = "in-toto.io/predicate-type";

    public static async Task<InspectedImage> ReadAsync(IRegistryClient client, ImageReference reference, ManifestContent content, CancellationToken cancellationToken)
    {
        string name = reference.ToString();
        var image = new InspectedImage(name, content);
        if (image.IsIndex)
        {
            ImageIndex index = RegistryDocuments.Parse<ImageIndex>(content.Content, client.Registry, name, "the index");
            var platforms = index.Manifests.Where(m => !m.IsAttestation).ToDictionary(m => m.Digest.ToString(), m => m.Platform?.ToString() ?? "(none)");
            var attestations = new List<InspectedEntry>();
            foreach (Descriptor entry in index.Manifests.Where(m => m.IsAttestation))
            {
                ManifestContent attestation = await client.GetManifestAsync(reference.Repository, entry.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                ImageManifest manifest = RegistryDocuments.Parse<ImageManifest>(attestation.Content, client.Registry, $"{reference.Repository}@{entry.Digest}", "the attestation manifest");
                attestations.Add(new InspectedEntry(
                    entry,
                    manifest.Layers.Select(l => l.Annotations?.GetValueOrDefault(PredicateTypeKey)).OfType<string>().ToList(),
                    entry.AttestedDigest is { } attested ? platforms.GetValueOrDefault(attested) : null));
            }

            return image with
            {
                Annotations = index.Annotations ?? new Dictionary<string, string>(),
                Manifests = index.Manifests.Where(m => !m.IsAttestation).Select(m => new InspectedEntry(m, [], null)).ToList(),
                Attestations = attestations,
            };
        }

        ImageManifest single = RegistryDocuments.Parse<ImageManifest>(content.Content, client.Registry, name, "the manifest");
        byte[] config = await client.GetBlobAsync(reference.Repository, single.Config.Digest, cancellationToken).ConfigureAwait(false);
        return image with
        {
            Annotations = single.Annotations ?? new Dictionary<string, string>(),
            Config = single.Config,
            Layers = single.Layers,
            Platform = RegistryDocuments.Parse<ImageConfig>(config, client.Registry, name, "its config").ToPlatform(),
        };
    }
}
