namespace MultiArchContainers.Oci.Tests;

/// <summary>A one-layer image for registry tests: its blobs and manifest bytes, pushed with the client under test.</summary>
internal sealed record SmallImage(byte[] Config, byte[] Layer, byte[] Manifest)
{
    /// <summary>An image whose layer is a few bytes naming <paramref name="seed"/>.</summary>
    public static SmallImage Create(string seed) => WithLayer(Encoding.UTF8.GetBytes("layer " + seed), seed);

    /// <summary>An image around <paramref name="layer"/>; <paramref name="note"/> makes its config (and digest) its own.</summary>
    public static SmallImage WithLayer(byte[] layer, string note, string architecture = "amd64")
    {
        byte[] config = Encoding.UTF8.GetBytes($$"""{"architecture":"{{architecture}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"note":"{{note}}"}""");
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, config),
            Layers = [Descriptor.For(MediaTypes.OciLayerGzip, layer)],
        });
        return new SmallImage(config, layer, manifest);
    }

    /// <summary>An image for linux/<paramref name="architecture"/>.</summary>
    public static SmallImage WithPlatform(string architecture, string seed) => WithLayer(Encoding.UTF8.GetBytes("layer " + seed), seed, architecture);

    public Digest Digest => Digest.Sha256(Manifest);

    /// <summary>Uploads both blobs and puts the manifest under <paramref name="reference"/>, by default its digest.</summary>
    public async Task PushAsync(RegistryClient client, string repository, string? reference = null)
    {
        foreach (byte[] blob in new[] { Config, Layer })
        {
            await client.UploadBlobAsync(repository, Digest.Sha256(blob), blob.Length, () => new MemoryStream(blob), CancellationToken.None);
        }

        await client.PutManifestAsync(repository, reference ?? Digest.ToString(), Manifest, MediaTypes.OciManifest, CancellationToken.None);
    }
}
