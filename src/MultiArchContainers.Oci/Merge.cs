using System.Text.Json;
using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci;

/// <summary>
/// One manifest a merge takes over: where it lives now and its descriptor (platform included). <see cref="Label"/>
/// names it in messages and annotation qualifiers: the RID when known, else the platform.
/// </summary>
public sealed record MergeEntry(string Source, string Registry, string Repository, Descriptor Manifest, string Label)
{
    public bool IsAttestation => Manifest.Platform is { Os: "unknown", Architecture: "unknown" };

    /// <summary>The image an attestation describes (<c>vnd.docker.reference.digest</c>), if any.</summary>
    public string? AttestedDigest => Manifest.Annotations?.GetValueOrDefault(ReferenceDigestKey);

    public const string ReferenceDigestKey = "vnd.docker.reference.digest";
}

/// <summary>Turns merge sources (metadata files, image references, indexes) into the manifests they stand for.</summary>
public sealed class MergeSourceResolver
{
    private readonly Func<string, RegistryClient> _clients;

    public MergeSourceResolver(Func<string, RegistryClient> clients) => _clients = clients;

    public async Task<IReadOnlyList<MergeEntry>> ResolveAsync(string source, CancellationToken cancellationToken)
    {
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(source))
        {
            return ReadMetadataFile(source);
        }

        ImageReference? reference = ImageReference.TryParse(source, out string? error);
        if (reference is null || reference.Registry.Length == 0)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, source, error ?? "it names no registry");
        }

        RegistryClient client = _clients(reference.Registry);
        ManifestContent manifest = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            ImageIndex index = OciJson.Deserialize<ImageIndex>(manifest.Content, "the source index");
            return index.Manifests
                .Where(m => m.Platform is not null)
                .Select(m => new MergeEntry(source, reference.Registry, reference.Repository, m, m.Platform!.ToString()))
                .ToList();
        }

        if (!MediaTypes.IsImageManifest(manifest.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, source, manifest.MediaType);
        }

        ImageManifest image = OciJson.Deserialize<ImageManifest>(manifest.Content, "the source manifest");
        byte[] config = await client.GetBlobAsync(reference.Repository, image.Config.Digest, cancellationToken).ConfigureAwait(false);
        Platform platform = OciJson.Deserialize<ImageConfig>(config, "the source config").ToPlatform()
            ?? throw new MultiArchException(MessageIds.MergeSourceInvalid, source, "its config names no os or architecture");
        var descriptor = new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Content.LongLength, Platform = platform };
        return [new MergeEntry(source, reference.Registry, reference.Repository, descriptor, platform.ToString())];
    }

    /// <summary>A metadata file of PublishPlatformImage (one image) or of PublishMultiArch/MergeMultiArch (an index).</summary>
    private static List<MergeEntry> ReadMetadataFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, "the file does not exist");
        }

        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty");
            if (root["platforms"] is JsonArray platforms)
            {
                ImageReference name = ImageReference.Parse(root["image.name"]!.GetValue<string>().Split(',')[0]);
                return platforms.Select(p => new MergeEntry(
                    path,
                    name.Registry,
                    name.Repository,
                    new Descriptor
                    {
                        MediaType = p!["mediaType"]!.GetValue<string>(),
                        Digest = Digest.Parse(p["digest"]!.GetValue<string>()),
                        Size = p["size"]!.GetValue<long>(),
                        Platform = Annotations.ParseQualifier(p["platform"]!.GetValue<string>()),
                    },
                    p["rid"]!.GetValue<string>())).ToList();
            }

            Descriptor descriptor = OciJson.Deserialize<Descriptor>(System.Text.Encoding.UTF8.GetBytes(root["containerimage.descriptor"]!.ToJsonString()), "containerimage.descriptor");
            if (descriptor.Platform is null)
            {
                throw new JsonException("containerimage.descriptor has no platform");
            }

            return
            [
                new MergeEntry(
                    path,
                    root["registry"]!.GetValue<string>(),
                    root["repository"]!.GetValue<string>(),
                    descriptor,
                    root["rid"]?.GetValue<string>() ?? descriptor.Platform.ToString()),
            ];
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"it is not a metadata file of this SDK ({ex.Message})");
        }
    }
}

/// <summary>
/// Copies a manifest and everything it refers to into the target repository: nothing that is already there, blobs
/// mounted when the source is on the same registry, streamed (never held whole in memory) when it is not.
/// </summary>
public sealed class ImageCopier
{
    private readonly Func<string, RegistryClient> _clients;
    private readonly RegistryClient _target;
    private readonly string _repository;

    public ImageCopier(Func<string, RegistryClient> clients, RegistryClient target, string repository)
    {
        _clients = clients;
        _target = target;
        _repository = repository;
    }

    public async Task<byte[]> ReadManifestAsync(MergeEntry entry, CancellationToken cancellationToken)
    {
        ManifestContent content = await _clients(entry.Registry).GetManifestAsync(entry.Repository, entry.Manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        return content.Content;
    }

    /// <summary>Copies the blobs of <paramref name="manifestBytes"/> and then the manifest itself, by its digest.</summary>
    public async Task CopyAsync(MergeEntry entry, byte[] manifestBytes, CancellationToken cancellationToken)
    {
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "a source manifest");
        bool sameRegistry = string.Equals(entry.Registry, _target.Registry, StringComparison.OrdinalIgnoreCase);
        RegistryClient source = _clients(entry.Registry);
        foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (await _target.BlobExistsAsync(_repository, blob.Digest, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (sameRegistry && await _target.TryMountBlobAsync(_repository, blob.Digest, entry.Repository, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await _target.UploadBlobAsync(
                _repository,
                blob.Digest,
                blob.Size,
                () => source.OpenBlobAsync(entry.Repository, blob.Digest, cancellationToken).GetAwaiter().GetResult(),
                cancellationToken).ConfigureAwait(false);
        }

        await _target.PutManifestAsync(_repository, Digest.Sha256(manifestBytes).ToString(), manifestBytes, entry.Manifest.MediaType, cancellationToken).ConfigureAwait(false);
    }
}
