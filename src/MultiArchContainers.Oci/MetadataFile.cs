using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Model;

namespace MultiArchContainers.Oci;

/// <summary>
/// The JSON a publish leaves for later steps, with the keys other image builders use
/// (<c>containerimage.digest</c>, <c>containerimage.descriptor</c>, <c>image.name</c>) plus one entry per platform.
/// </summary>
public static class MetadataFile
{
    public static JsonObject Create(PublishedIndex index)
    {
        var platforms = new JsonArray();
        for (int i = 0; i < index.Images.Count; i++)
        {
            PlatformImage image = index.Images[i];
            var entry = new JsonObject
            {
                ["rid"] = image.RuntimeIdentifier,
                ["platform"] = image.Platform.ToString(),
                ["digest"] = image.Manifest.Digest.ToString(),
                ["size"] = image.Manifest.Size,
                ["mediaType"] = image.Manifest.MediaType,
            };
            if (i < index.PlatformTags.Count && index.PlatformTags[i].Count > 0)
            {
                entry["tags"] = new JsonArray(index.PlatformTags[i].Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            }

            platforms.Add(entry);
        }

        return new JsonObject
        {
            ["containerimage.digest"] = index.Descriptor.Digest.ToString(),
            ["containerimage.descriptor"] = JsonNode.Parse(OciJson.Serialize(index.Descriptor)),
            ["image.name"] = string.Join(',', index.Names),
            ["platforms"] = platforms,
        };
    }

    /// <summary>
    /// The JSON of one pushed platform image (PublishPlatformImage): its descriptor, platform included, where it is,
    /// and the RID it was built for. MergeMultiArch reads it back.
    /// </summary>
    public static JsonObject CreateForImage(PlatformImage image, string registry, string repository) => new()
    {
        ["containerimage.digest"] = image.Manifest.Digest.ToString(),
        ["containerimage.descriptor"] = JsonNode.Parse(OciJson.Serialize(image.Manifest)),
        ["image.name"] = $"{registry}/{repository}@{image.Manifest.Digest}",
        ["registry"] = registry,
        ["repository"] = repository,
        ["rid"] = image.RuntimeIdentifier,
        ["platform"] = image.Platform.ToString(),
    };

    public static void WriteImage(string path, PlatformImage image, string registry, string repository) =>
        WriteText(path, CreateForImage(image, registry, repository));

    /// <summary>Writes the file only when its content changed, so later incremental steps see a stable timestamp.</summary>
    public static void Write(string path, PublishedIndex index) => WriteText(path, Create(index));

    private static void WriteText(string path, JsonObject json)
    {
        string text = json.ToJsonString(new System.Text.Json.JsonSerializerOptions(OciJson.Options) { WriteIndented = true }) + "\n";
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MultiArchException(MessageIds.MetadataWriteFailed, path, ex.Message);
        }
    }
}
