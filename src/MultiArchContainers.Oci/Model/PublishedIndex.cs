namespace MultiArchContainers.Oci.Model;

/// <summary>
/// The index as pushed: its bytes, descriptor and the full names it was pushed under; <see cref="PlatformTags"/> holds
/// the tags each image got of its own (same order as <see cref="Images"/>, empty unless platform tags were asked for).
/// </summary>
internal sealed record PublishedIndex(byte[] Content, Descriptor Descriptor, IReadOnlyList<string> Names, IReadOnlyList<PlatformImage> Images)
{
    public IReadOnlyList<IReadOnlyList<string>> PlatformTags { get; init; } = [];
}
