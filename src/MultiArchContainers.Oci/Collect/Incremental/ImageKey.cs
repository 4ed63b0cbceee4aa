namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// The key of what a per-RID image is made of once the RID's publish has run: every file of the publish folder (path
/// and content), each setting the SDK's image builder takes, and the base image digest. Two builds with one key make
/// the same image, so the second one reuses the first's (<see cref="ImageStore"/>).
/// </summary>
internal static class ImageKey
{
    public static InputKey Of(string publishFolder, IEnumerable<KeyValuePair<string, string>> settings, Digest baseDigest)
    {
        var key = new KeyBuilder();
        foreach (string file in Directory.EnumerateFiles(publishFolder, "*", SearchOption.AllDirectories))
        {
            using FileStream content = File.OpenRead(file);
            key.AddDigest("publish/" + Path.GetRelativePath(publishFolder, file).Replace('\\', '/'), Convert.ToHexStringLower(SHA256.HashData(content)));
        }

        foreach ((string name, string value) in settings)
        {
            key.Add("setting " + name, value);
        }

        return key.Add("base image digest", baseDigest.ToString()).Build();
    }
}
