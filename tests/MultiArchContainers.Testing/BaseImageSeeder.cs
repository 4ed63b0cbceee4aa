using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Testing;

/// <summary>
/// Builds a small multi-platform base image offline (a real gzip tar layer and a real config per platform,
/// with os, architecture and variant) and pushes it, with its index, into a registry.
/// </summary>
public static class BaseImageSeeder
{
    /// <summary>The platforms seeded unless told otherwise: what PublishMultiArch's tests build for.</summary>
    public static readonly IReadOnlyList<Platform> DefaultPlatforms =
    [
        new Platform { Os = "linux", Architecture = "amd64" },
        new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
    ];

    /// <summary>Pushes the base image to <paramref name="registry"/>/<paramref name="repository"/>:<paramref name="tag"/>; returns the index digest.</summary>
    public static async Task<Digest> SeedAsync(string registry, string repository, string tag, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
    {
        using var client = new RegistryClient(registry);
        var manifests = new List<Descriptor>();
        foreach (Platform platform in platforms ?? DefaultPlatforms)
        {
            (byte[] layer, Digest diffId) = BuildLayer(platform);
            byte[] config = BuildConfig(platform, diffId);
            Descriptor layerDescriptor = Descriptor.For(MediaTypes.OciLayerGzip, layer);
            Descriptor configDescriptor = Descriptor.For(MediaTypes.OciConfig, config);
            foreach ((Descriptor descriptor, byte[] content) in new[] { (layerDescriptor, layer), (configDescriptor, config) })
            {
                if (!await client.BlobExistsAsync(repository, descriptor.Digest, cancellationToken))
                {
                    await client.UploadBlobAsync(repository, descriptor.Digest, content.Length, () => new MemoryStream(content), cancellationToken);
                }
            }

            byte[] manifest = OciJson.Serialize(new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = configDescriptor,
                Layers = [layerDescriptor],
            });
            Digest manifestDigest = await client.PutManifestAsync(repository, Digest.Sha256(manifest).ToString(), manifest, MediaTypes.OciManifest, cancellationToken);
            manifests.Add(new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest, Size = manifest.Length, Platform = platform });
        }

        byte[] index = OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests });
        return await client.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex, cancellationToken);
    }

    /// <summary>A gzip tar holding /etc/os-release naming the platform; fixed timestamps keep the digest stable.</summary>
    private static (byte[] Layer, Digest DiffId) BuildLayer(Platform platform)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var fixedTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { ModificationTime = fixedTime, Mode = (UnixFileMode)0b111_101_101 });
            byte[] release = Encoding.UTF8.GetBytes($"NAME=multiarch-test-base\nPLATFORM={platform}\n");
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/os-release")
            {
                ModificationTime = fixedTime,
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(release),
            });
        }

        byte[] uncompressed = tar.ToArray();
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(uncompressed);
        }

        return (gz.ToArray(), Digest.Sha256(uncompressed));
    }

    private static byte[] BuildConfig(Platform platform, Digest diffId)
    {
        var config = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["created"] = "2024-01-01T00:00:00Z",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["WorkingDir"] = "/",
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId.ToString()) },
            ["history"] = new JsonArray(new JsonObject { ["created"] = "2024-01-01T00:00:00Z", ["created_by"] = "multiarch test base image" }),
        };
        if (platform.Variant is not null)
        {
            config["variant"] = platform.Variant;
        }

        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }
}
