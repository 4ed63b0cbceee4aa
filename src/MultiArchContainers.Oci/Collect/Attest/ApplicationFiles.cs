using System.Formats.Tar;
using System.IO.Compression;
using MultiArchContainers.Oci.Layout;

namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>The application's files as the image holds them: every regular file of its top layer (the app layer the .NET SDK adds), hashed.</summary>
internal static class ApplicationFiles
{
    public static IReadOnlyList<ApplicationFile> Read(OciLayoutImage image)
    {
        Descriptor layer = image.Manifest.Layers[^1];
        var files = new List<ApplicationFile>();
        using Stream blob = image.OpenBlob(layer, image.Root);
        using Stream content = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
        using var reader = new TarReader(content);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
            {
                continue;
            }

            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            byte[] buffer = new byte[81920];
            int read;
            while ((read = entry.DataStream.Read(buffer)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                sha1.AppendData(buffer, 0, read);
            }

            files.Add(new ApplicationFile("/" + entry.Name.TrimStart('.', '/'), Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(sha1.GetHashAndReset())));
        }

        return [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)];
    }
}
