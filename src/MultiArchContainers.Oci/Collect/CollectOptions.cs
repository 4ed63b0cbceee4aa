namespace MultiArchContainers.Oci.Collect;

/// <summary>What turns one RID's image archive into the image that is pushed or archived.</summary>
/// <param name="ManifestAnnotations">The resolved manifest annotations, by RID.</param>
internal sealed record CollectOptions(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ManifestAnnotations)
{
    /// <summary>Rewrite each image so its digest depends only on its content (the SOURCE_DATE_EPOCH time).</summary>
    public DateTimeOffset? Epoch { get; init; }

    /// <summary>Add <c>org.opencontainers.image.base.name</c> (the image's base label, else <see cref="BaseImage"/>).</summary>
    public bool GenerateBaseName { get; init; }

    /// <summary>Add <c>org.opencontainers.image.base.digest</c> (the image's base digest label).</summary>
    public bool GenerateBaseDigest { get; init; }

    /// <summary>The configured base image, for the generated base name.</summary>
    public string BaseImage { get; init; } = string.Empty;

    /// <summary>The base image's layers, by RID (<see cref="Collect.BaseLayers"/>): never rewritten. Needed with <see cref="Epoch"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<Digest>> BaseLayers { get; init; } = new Dictionary<string, IReadOnlySet<Digest>>();

    /// <summary>The <c>os.version</c> of the base manifest each RID's image is built on, by RID, where it names one.</summary>
    public IReadOnlyDictionary<string, string> BaseOsVersions { get; init; } = new Dictionary<string, string>();
}
