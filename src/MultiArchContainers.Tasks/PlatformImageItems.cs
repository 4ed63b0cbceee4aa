using System.Text.Json;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Per-RID images travel between targets as items: Include the manifest digest; metadata RuntimeIdentifier,
/// Platform (for people), PlatformJson (the platform object, read back whole), MediaType, Size, LayoutRoot for
/// images kept for an archive, Attests (the image an attestation manifest describes), and InRepository
/// (registry/repository) for images this publish has pushed or confirmed there at their size.
/// </summary>
internal static class PlatformImageItems
{
    public static ITaskItem ToItem(PlatformImage image, string? layoutRoot = null, string? inRepository = null)
    {
        var item = new TaskItem(image.Manifest.Digest.ToString());
        item.SetMetadata(ItemMetadata.RuntimeIdentifier, image.Label);
        item.SetMetadata(ItemMetadata.Platform, image.Platform.ToString());
        item.SetMetadata(ItemMetadata.PlatformJson, JsonSerializer.Serialize(image.Platform, OciJson.TypeInfo<Platform>()));
        item.SetMetadata(ItemMetadata.MediaType, image.Manifest.MediaType);
        item.SetMetadata(ItemMetadata.Size, image.Manifest.Size.ToString(CultureInfo.InvariantCulture));
        if (image.IsAttestation && image.Manifest.AttestedDigest is { } attested)
        {
            item.SetMetadata(ItemMetadata.Attests, attested);
        }

        if (layoutRoot is not null)
        {
            item.SetMetadata(ItemMetadata.LayoutRoot, layoutRoot);
        }

        if (inRepository is not null)
        {
            item.SetMetadata(ItemMetadata.InRepository, inRepository);
        }

        return item;
    }

    public static PlatformImage FromItem(ITaskItem item)
    {
        Platform platform = JsonSerializer.Deserialize(item.GetMetadata(ItemMetadata.PlatformJson), OciJson.TypeInfo<Platform>())
            ?? throw new JsonException("PlatformJson is null.");
        var descriptor = new Descriptor
        {
            MediaType = item.GetMetadata(ItemMetadata.MediaType),
            Digest = Digest.Parse(item.ItemSpec),
            Size = long.Parse(item.GetMetadata(ItemMetadata.Size), CultureInfo.InvariantCulture),
            Platform = platform,
            Annotations = item.GetMetadata(ItemMetadata.Attests) is { Length: > 0 } attested
                ? new SortedDictionary<string, string>(StringComparer.Ordinal) { [Descriptor.ReferenceDigestKey] = attested, [Oci.Collect.Attest.Attestation.ReferenceTypeKey] = Oci.Collect.Attest.Attestation.ReferenceTypeValue }
                : null,
        };
        return new PlatformImage(item.GetMetadata(ItemMetadata.RuntimeIdentifier), descriptor);
    }
}
