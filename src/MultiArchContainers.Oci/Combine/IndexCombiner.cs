namespace MultiArchContainers.Oci.Combine;

/// <summary>Builds an image index from per-platform images. Pure: no I/O.</summary>
internal static class IndexCombiner
{
    public static ImageIndex Combine(IReadOnlyList<PlatformImage> images, CombineOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count == 0)
        {
            throw new MultiArchException(MessageIds.NoRuntimeIdentifiers);
        }

        var manifests = new List<Descriptor>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            PlatformImage image = images[i];
            for (int j = 0; j < i; j++)
            {
                // Attestations (unknown/unknown) sit beside the images they describe; there may be many.
                if (!image.IsAttestation && images[j].Platform.SameSlot(image.Platform))
                {
                    throw new MultiArchException(MessageIds.DuplicatePlatform, images[j].Label, image.Label, image.Platform);
                }
            }

            // An attestation's entry keeps its own annotations (which image it describes); the user's are for images.
            manifests.Add(image.IsAttestation ? image.Manifest : WithAnnotations(image.Manifest, options.DescriptorAnnotations.GetValueOrDefault(image.Label)));
        }

        return new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = manifests,
            Annotations = options.IndexAnnotations.Count == 0
                ? null
                : new SortedDictionary<string, string>(options.IndexAnnotations.ToDictionary(), StringComparer.Ordinal),
        };
    }

    private static Descriptor WithAnnotations(Descriptor descriptor, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return descriptor;
        }

        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in (descriptor.Annotations ?? new Dictionary<string, string>()).Concat(annotations))
        {
            merged[key] = value;
        }

        return descriptor with { Annotations = merged };
    }
}
