using System.Text.Json.Serialization;
using MultiArchContainers.Oci.Push;

namespace MultiArchContainers.Oci.Report;

/// <summary>
/// The JSON a publish leaves for later steps, with the keys other image builders use (<c>containerimage.digest</c>,
/// <c>containerimage.descriptor</c>, <c>image.name</c>). An index's has one entry per image in <see cref="Platforms"/>;
/// one platform image's (PublishPlatformImage, a build node) names where it is and the RID it was built for. One type
/// for writing it, for reading merge sources and for reading what a build node returns.
/// </summary>
public sealed record MetadataDocument
{
    [JsonPropertyName("containerimage.digest")]
    [JsonConverter(typeof(DigestJsonConverter))]
    public required Digest Digest { get; init; }

    [JsonPropertyName("containerimage.descriptor")]
    public required Descriptor Descriptor { get; init; }

    /// <summary>Every full name the index was pushed or written under, ',' separated; <c>registry/repository@digest</c> for one image.</summary>
    [JsonPropertyName("image.name")]
    public required string ImageName { get; init; }

    [JsonPropertyName("registry")]
    public string? Registry { get; init; }

    [JsonPropertyName("repository")]
    public string? Repository { get; init; }

    [JsonPropertyName("rid")]
    public string? RuntimeIdentifier { get; init; }

    [JsonPropertyName("platform")]
    public string? Platform { get; init; }

    [JsonPropertyName("platforms")]
    public IReadOnlyList<MetadataPlatform>? Platforms { get; init; }

    /// <summary>The document of a pushed or written index.</summary>
    public static MetadataDocument ForIndex(PublishedIndex index) => new()
    {
        Digest = index.Descriptor.Digest,
        Descriptor = index.Descriptor,
        ImageName = string.Join(',', index.Names),
        Platforms = index.Images.Select((image, i) => new MetadataPlatform
        {
            RuntimeIdentifier = image.RuntimeIdentifier,
            Platform = image.Platform.ToString(),
            Digest = image.Manifest.Digest,
            Size = image.Manifest.Size,
            MediaType = image.Manifest.MediaType,
            Tags = i < index.PlatformTags.Count && index.PlatformTags[i].Count > 0 ? index.PlatformTags[i] : null,
        }).ToList(),
    };

    /// <summary>The document of one platform image pushed by digest to <paramref name="registry"/>/<paramref name="repository"/>.</summary>
    public static MetadataDocument ForImage(PlatformImage image, string registry, string repository) => new()
    {
        Digest = image.Manifest.Digest,
        Descriptor = image.Manifest,
        ImageName = $"{registry}/{repository}@{image.Manifest.Digest}",
        Registry = registry,
        Repository = repository,
        RuntimeIdentifier = image.RuntimeIdentifier,
        Platform = image.Platform.ToString(),
    };

    /// <summary>The images it names, each with its platform, or null when a platform cannot be read.</summary>
    public IReadOnlyList<PlatformImage>? Images()
    {
        if (Platforms is null)
        {
            return Descriptor.Platform is null ? null : [new PlatformImage(RuntimeIdentifier ?? Descriptor.Platform.ToString(), Descriptor)];
        }

        var images = new List<PlatformImage>();
        foreach (MetadataPlatform entry in Platforms)
        {
            if (Model.Platform.TryParse(entry.Platform) is not { } platform)
            {
                return null;
            }

            images.Add(new PlatformImage(entry.RuntimeIdentifier, new Descriptor { MediaType = entry.MediaType, Digest = entry.Digest, Size = entry.Size, Platform = platform }));
        }

        return images;
    }
}
