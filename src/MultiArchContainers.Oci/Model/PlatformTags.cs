namespace MultiArchContainers.Oci.Model;

/// <summary>The tags an image gets of its own with <c>ContainerPlatformTags</c>: <c>&lt;tag&gt;-&lt;rid&gt;</c>, or the platform for images of unknown RID.</summary>
internal static class PlatformTags
{
    /// <summary>Why a platform tag can be invalid and what to do, for MAC2010.</summary>
    public const string Rule = ImageReference.TagRule + "; shorten ContainerImageTags or turn ContainerPlatformTags off";

    /// <summary>The tag an image gets of its own under <paramref name="tag"/>.</summary>
    public static string Of(string tag, PlatformImage image) =>
        Of(tag, image.Label.Length > 0 ? image.Label : image.Platform.ToString());

    /// <summary>The tag of the image for a RID (or a platform, whose '/' become '-') under <paramref name="tag"/>.</summary>
    public static string Of(string tag, string ridOrPlatform) => tag + "-" + ridOrPlatform.Replace('/', '-');

    /// <summary>
    /// Every tag an image gets of its own, per image in order (none for attestations); MAC2010 for one that is not a
    /// valid tag, so nothing moves when one cannot be pushed.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> For(IReadOnlyList<PlatformImage> images, IReadOnlyList<string> tags)
    {
        var result = images.Select(image => (IReadOnlyList<string>)(image.IsAttestation ? [] : tags.Select(tag => Of(tag, image)).ToList())).ToList();
        foreach (string invalid in result.SelectMany(t => t).Where(t => !ImageReference.IsValidTag(t)))
        {
            throw new MultiArchException(MessageIds.InvalidReference, invalid, "platform tag", Rule);
        }

        return result;
    }

    /// <summary>The platform tags as (image, tag) pairs, for an OCI archive's index.json.</summary>
    public static List<(Descriptor Image, string Tag)> Flatten(IReadOnlyList<PlatformImage> images, IReadOnlyList<IReadOnlyList<string>> platformTags) =>
        platformTags.SelectMany((tags, i) => tags.Select(tag => (images[i].Manifest, tag))).ToList();
}
