namespace MultiArchContainers.Oci.Report;

/// <summary>
/// The JSON a publish leaves for later steps, with the keys other image builders use (<c>containerimage.digest</c>,
/// <c>containerimage.descriptor</c>, <c>image.name</c>). An index's has one entry per image in <see cref="Platforms"/>;
/// one platform image's (PublishPlatformImage, a build node) names where it is and the RID it was built for. One type
/// for writing it, for reading merge sources and for reading what a build node returns.
/// </summary>
internal sealed record MetadataDocument(
    [property: JsonPropertyName("containerimage.digest")] Digest Digest,
    [property: JsonPropertyName("containerimage.descriptor")] Descriptor Descriptor,
    [property: JsonPropertyName("image.name")] string ImageName,
    [property: JsonPropertyName("registry")] string? Registry = null,
    [property: JsonPropertyName("repository")] string? Repository = null,
    [property: JsonPropertyName("rid")] string? RuntimeIdentifier = null,
    [property: JsonPropertyName("platform")] string? Platform = null,
    [property: JsonPropertyName("platforms")] IReadOnlyList<MetadataPlatform>? Platforms = null,
    [property: JsonPropertyName("attestation")] Descriptor? Attestation = null)
{
    /// <summary>The document of a pushed or written index.</summary>
    public static MetadataDocument ForIndex(PublishedIndex index) => new(
        index.Descriptor.Digest,
        index.Descriptor,
        string.Join(',', index.Names),
        Platforms: index.Images.Select((image, i) => new MetadataPlatform(
            image.Label,
            image.Platform.ToString(),
            image.Manifest.Digest,
            image.Manifest.Size,
            image.Manifest.MediaType,
            i < index.PlatformTags.Count && index.PlatformTags[i].Count > 0 ? index.PlatformTags[i] : null,
            image.IsAttestation ? image.Manifest.Annotations : null)).ToList());

    /// <summary>
    /// The document of one platform image pushed by digest to <paramref name="registry"/>/<paramref name="repository"/>,
    /// with the descriptor of its attestation manifest when it has one (pushed by digest beside it).
    /// </summary>
    public static MetadataDocument ForImage(PlatformImage image, string registry, string repository, PlatformImage? attestation = null) => new(
        image.Manifest.Digest,
        image.Manifest,
        $"{registry}/{repository}@{image.Manifest.Digest}",
        registry,
        repository,
        image.Label,
        image.Platform.ToString(),
        Attestation: attestation?.Manifest);

    /// <summary>The images it names, each with its platform, or null when a platform cannot be read.</summary>
    public IReadOnlyList<PlatformImage>? Images()
    {
        if (Platforms is null)
        {
            if (Descriptor.Platform is null)
            {
                return null;
            }

            string label = RuntimeIdentifier ?? Descriptor.Platform.ToString();
            return Attestation is { Platform: not null } attestation
                ? [new PlatformImage(label, Descriptor), new PlatformImage(Collect.Attest.AttestationRequest.LabelFor(label), attestation)]
                : [new PlatformImage(label, Descriptor)];
        }

        var images = new List<PlatformImage>();
        foreach (MetadataPlatform entry in Platforms)
        {
            if (Model.Platform.TryParse(entry.Platform) is not { } platform)
            {
                return null;
            }

            images.Add(new PlatformImage(entry.RuntimeIdentifier, new Descriptor { MediaType = entry.MediaType, Digest = entry.Digest, Size = entry.Size, Platform = platform, Annotations = entry.Annotations }));
        }

        return images;
    }
}
