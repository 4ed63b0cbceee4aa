using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// What a per-RID build read, kept beside its image in the image cache so that the next publish can tell, without
/// running that build, that it would make the same image: the files it took (sources, references, publish inputs,
/// project and assets files, each with size and time), the fingerprint of the publish's settings and item lists, and
/// the base image with the digest it resolved to. The image's own key (<see cref="ImageCache"/>) finds the kept image.
/// </summary>
public sealed record InputSnapshot(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("baseImage")] string BaseImage,
    [property: JsonPropertyName("baseDigest")] Digest BaseDigest,
    [property: JsonPropertyName("imageKey")] string ImageKey,
    [property: JsonPropertyName("files")] IReadOnlyList<FileStamp> Files)
{
    public const string FileName = "inputs.json";

    /// <summary>The snapshot of a build that read <paramref name="files"/> (duplicates and empty entries dropped).</summary>
    public static InputSnapshot Take(string fingerprint, string baseImage, Digest baseDigest, string imageKey, IEnumerable<string> files) =>
        new(fingerprint, baseImage, baseDigest, imageKey,
            files.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Path.GetFullPath(f.Trim())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(FileStamp.Of).ToList());

    /// <summary>Keeps the snapshot in <paramref name="folder"/> (the RID's image cache folder).</summary>
    public void Write(string folder) => new ImageCache(folder).Keep(FileName, this);

    /// <summary>The snapshot kept in <paramref name="folder"/>, or null when there is none or it cannot be read.</summary>
    public static InputSnapshot? Read(string folder) => new ImageCache(folder).Kept<InputSnapshot>(FileName, "the input snapshot");

    /// <summary>
    /// Null when a build now would read the same inputs as this one did; else what changed, for the log.
    /// <paramref name="baseDigest"/> is what <see cref="BaseImage"/> names now.
    /// </summary>
    public string? Changed(string fingerprint, Digest? baseDigest)
    {
        if (fingerprint != Fingerprint)
        {
            return "the project's settings or item lists changed";
        }

        if (baseDigest != BaseDigest)
        {
            return $"the base image {BaseImage} changed";
        }

        return Files.FirstOrDefault(f => !f.IsCurrent) is { } file ? $"{file.Path} changed" : null;
    }
}
