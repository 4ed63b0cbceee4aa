using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// The image archive a per-RID build made, kept with the key of its inputs (the publish output, the container
/// settings and the resolved base image digest), so an unchanged republish reuses it instead of building it again.
/// Beside it live small JSON documents about it (<see cref="InputSnapshot"/>, <see cref="Push.PushRecord"/>).
/// </summary>
public sealed class ImageCache(string folder)
{
    private string KeyFile => Path.Combine(folder, "key");

    /// <summary>The kept image archive.</summary>
    public string ArchiveFile => Path.Combine(folder, "image.tar");

    /// <summary>
    /// The key of a build's inputs: every file below <paramref name="publishFolder"/> (path and content), the
    /// <paramref name="settings"/> in order, and the base image digest.
    /// </summary>
    public static string Key(string publishFolder, IEnumerable<string> settings, Digest baseDigest)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        foreach (string file in Directory.EnumerateFiles(publishFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(publishFolder, file).Replace('\\', '/'));
            using FileStream content = File.OpenRead(file);
            Add(Convert.ToHexStringLower(SHA256.HashData(content)));
        }

        foreach (string setting in settings)
        {
            Add(setting);
        }

        Add(baseDigest.ToString());
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether the kept archive (<see cref="ArchiveFile"/>) was made from inputs with <paramref name="key"/>.</summary>
    public bool Holds(string key) => File.Exists(KeyFile) && File.Exists(ArchiveFile) && File.ReadAllText(KeyFile) == key;

    /// <summary>Copies the kept archive to <paramref name="destination"/> when it was made from inputs with <paramref name="key"/>.</summary>
    public bool TryReuse(string key, string destination)
    {
        if (!Holds(key))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        File.Copy(ArchiveFile, destination, overwrite: true);
        return true;
    }

    /// <summary>Keeps <paramref name="archive"/> as the image of inputs with <paramref name="key"/>.</summary>
    public void Remember(string key, string archive)
    {
        Directory.CreateDirectory(folder);
        File.Delete(KeyFile);
        File.Copy(archive, ArchiveFile + ".partial", overwrite: true);
        File.Move(ArchiveFile + ".partial", ArchiveFile, overwrite: true);
        File.WriteAllText(KeyFile, key);
    }

    /// <summary>Keeps <paramref name="document"/> beside the image as <paramref name="fileName"/>, replaced whole.</summary>
    public void Keep<T>(string fileName, T document)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, fileName);
        File.WriteAllBytes(path + ".partial", OciJson.Serialize(document));
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>The document kept as <paramref name="fileName"/>, or null when there is none or it cannot be read.</summary>
    public T? Kept<T>(string fileName, string what) where T : class
    {
        string path = Path.Combine(folder, fileName);
        try
        {
            return File.Exists(path) ? OciJson.Deserialize<T>(File.ReadAllBytes(path), what) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
