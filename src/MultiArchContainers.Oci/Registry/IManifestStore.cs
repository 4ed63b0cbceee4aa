namespace MultiArchContainers.Oci.Registry;

/// <summary>The manifest half of a registry: what pushing an index by the "children before tags" rule needs.</summary>
internal interface IManifestStore
{
    /// <summary>The registry's host[:port] as the user named it.</summary>
    string Registry { get; }

    /// <summary>The manifest or index under a tag or digest, its digest verified.</summary>
    Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>The size of the manifest with <paramref name="digest"/> in the repository (one HEAD), or null when it is not there.</summary>
    Task<long?> ManifestSizeAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>The digest <paramref name="tag"/> names now (one HEAD), or null when it names nothing.</summary>
    Task<Digest?> ResolveManifestAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Stores a manifest or index under <paramref name="reference"/> (a tag or its digest) with its exact media type.</summary>
    Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken);
}
