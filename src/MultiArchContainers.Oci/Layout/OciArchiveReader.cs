using System.Formats.Tar;

namespace MultiArchContainers.Oci.Layout;

/// <summary>
/// Unpacks an OCI archive (a merge source, an image a build node sent back, the .NET SDK's per-RID output) as
/// untrusted input: entry by entry, never through a general extractor. Only regular files and directories are
/// accepted, only under the names an image layout has (<c>oci-layout</c>, <c>index.json</c>,
/// <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c> of a valid digest), each once, within size bounds. Anything else fails at
/// once with MAC4002, before a special file could block or a name could escape the folder.
/// </summary>
internal static class OciArchiveReader
{
    /// <summary>oci-layout and index.json are small documents; index.json lists at most a few thousand images.</summary>
    public const long DocumentLimit = 4 * 1024 * 1024;

    /// <summary>The largest blob accepted (64 GiB): bounds a lying header, not a real image.</summary>
    public const long BlobLimit = 64L * 1024 * 1024 * 1024;

    /// <summary>Unpacks an archive entry by entry.</summary>
    /// <param name="archivePath">The tar file.</param>
    /// <param name="folder">Where it goes; empty or missing.</param>
    /// <param name="name">How messages name the archive.</param>
    public static void Extract(string archivePath, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        Walk(archivePath, name, (entryName, data) =>
        {
            string target = Path.Combine(folder, entryName.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using FileStream output = new(target, FileMode.CreateNew, FileAccess.Write);
            data?.CopyTo(output);
        });
    }

    /// <summary>
    /// The archive's index.json, read without unpacking anything else: every entry is still checked as
    /// <see cref="Extract"/> checks it, and the blobs are passed over without being read.
    /// </summary>
    public static byte[] ReadIndex(string archivePath, string name)
    {
        byte[]? index = null;
        Walk(archivePath, name, (entryName, data) =>
        {
            if (entryName == "index.json" && data is not null)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                index = copy.ToArray();
            }
        });
        return index ?? throw Invalid(name, "it holds no index.json");
    }

    /// <summary>Hands every regular file of the archive to <paramref name="take"/> with its layout name, after the checks.</summary>
    private static void Walk(string archivePath, string name, Action<string, Stream?> take)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using FileStream file = File.OpenRead(archivePath);
            using var reader = new TarReader(file);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                string entryName = Normalize(entry.Name);
                if (entry.EntryType is TarEntryType.Directory)
                {
                    if (entryName.Length > 0 && entryName != "blobs" && !IsAlgorithmFolder(entryName))
                    {
                        throw Invalid(name, $"it holds the folder '{Printable(entry.Name)}', which an image layout does not have");
                    }

                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    throw Invalid(name, $"the entry '{Printable(entry.Name)}' is a {entry.EntryType}, and only regular files and folders are accepted");
                }

                long limit = entryName is "oci-layout" or "index.json" ? DocumentLimit
                    : IsBlobName(entryName) ? BlobLimit
                    : throw Invalid(name, $"it holds '{Printable(entry.Name)}', which is not oci-layout, index.json or blobs/<algorithm>/<hex>");
                if (!seen.Add(entryName))
                {
                    throw Invalid(name, $"it holds '{entryName}' twice");
                }

                if (entry.Length > limit)
                {
                    throw Invalid(name, $"'{entryName}' is {entry.Length} bytes, more than the {limit} accepted");
                }

                take(entryName, entry.DataStream);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw Invalid(name, $"it is not a readable tar archive ({ex.Message})");
        }
    }

    /// <summary>The entry name without a leading './' or trailing '/'; names with '..', '\' or a root never match a layout name.</summary>
    private static string Normalize(string entryName)
    {
        string result = entryName.StartsWith("./", StringComparison.Ordinal) ? entryName[2..] : entryName;
        return result.TrimEnd('/');
    }

    private static bool IsAlgorithmFolder(string name) =>
        name.StartsWith("blobs/", StringComparison.Ordinal) && Digest.TryParse(name["blobs/".Length..] + ":" + new string('0', HexLength(name["blobs/".Length..])), out _);

    private static bool IsBlobName(string name)
    {
        string[] parts = name.Split('/');
        return parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out _);
    }

    private static int HexLength(string algorithm) => algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => 0 };

    private static string Printable(string text) => string.Concat(text.Take(200).Select(c => char.IsControl(c) ? '?' : c));

    private static MultiArchException Invalid(string name, string why) => new(MessageIds.ArchiveInvalid, name, why);
}
