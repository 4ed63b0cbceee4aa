namespace MultiArchContainers.Testing;

/// <summary>Pushes a small multi-platform base image (one <see cref="TestImage"/> per platform, plus its index) into a registry.</summary>
internal static class BaseImageSeeder
{
    /// <summary>The platforms seeded unless told otherwise: what PublishMultiArch's tests build for.</summary>
    public static readonly IReadOnlyList<Platform> DefaultPlatforms =
    [
        new Platform { Os = "linux", Architecture = "amd64" },
        new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
    ];

    /// <summary>Pushes the base image to <paramref name="registry"/>/<paramref name="repository"/>:<paramref name="tag"/>; returns the index digest.</summary>
    /// <param name="environment">Variables for the client (DOTNET_CONTAINER_INSECURE_REGISTRIES for a plain-HTTP registry off loopback).</param>
    /// <param name="note">Text that makes this base image's layers differ from every other's.</param>
    public static async Task<Digest> SeedAsync(string registry, string repository, string tag, IReadOnlyList<Platform>? platforms = null, Func<string, string?>? environment = null, CancellationToken cancellationToken = default, string note = "")
    {
        using var client = new RegistryClient(registry, environment: environment);
        var manifests = new List<Descriptor>();
        foreach (Platform platform in platforms ?? DefaultPlatforms)
        {
            TestImage image = TestImage.Create(platform, note);
            await PushAsync(client, repository, image, cancellationToken);
            manifests.Add(image.ManifestDescriptor);
        }

        byte[] index = OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests });
        return await client.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex, cancellationToken);
    }

    /// <summary>Pushes one image by digest, without a tag.</summary>
    public static async Task PushAsync(RegistryClient client, string repository, TestImage image, CancellationToken cancellationToken = default)
    {
        foreach ((Descriptor descriptor, byte[] content) in new[] { (image.LayerDescriptor, image.Layer), (image.ConfigDescriptor, image.Config) })
        {
            if (!await client.BlobExistsAsync(repository, descriptor.Digest, cancellationToken))
            {
                await client.UploadBlobAsync(repository, descriptor.Digest, content.Length, () => new MemoryStream(content), cancellationToken);
            }
        }

        await client.PutManifestAsync(repository, Digest.Sha256(image.Manifest).ToString(), image.Manifest, MediaTypes.OciManifest, cancellationToken);
    }

    /// <summary>Eight single-platform images, one per platform of <see cref="EightPlatforms"/>.</summary>
    public static readonly IReadOnlyList<Platform> EightPlatforms =
        new[] { ("amd64", (string?)null), ("arm64", "v8"), ("arm", "v7"), ("386", null), ("s390x", null), ("ppc64le", null), ("riscv64", null), ("mips64le", null) }
            .Select(p => new Platform { Os = "linux", Architecture = p.Item1, Variant = p.Item2 })
            .ToList();

    /// <summary>
    /// Pushes one small image per platform of <see cref="EightPlatforms"/>, tagged <c>p-os-arch[-variant]</c>, and
    /// returns their references (<c>registry/repository:tag</c>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeedPlatformsAsync(string registry, string repository)
    {
        using var client = new RegistryClient(registry);
        var references = new List<string>();
        foreach (Platform platform in EightPlatforms)
        {
            var image = TestImage.Create(platform, note: platform.ToString());
            await PushAsync(client, repository, image);
            string tag = "p-" + platform.ToString().Replace('/', '-');
            await client.PutManifestAsync(repository, tag, image.Manifest, MediaTypes.OciManifest, CancellationToken.None);
            references.Add($"{registry}/{repository}:{tag}");
        }

        return references;
    }
}
