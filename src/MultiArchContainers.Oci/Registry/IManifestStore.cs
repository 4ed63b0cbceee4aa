namespace MultiArchContainers.Oci.Registry;

/// <summary>The manifest half of a registry: what pushing an index by the "children before tags" rule needs.</summary>
public interface IManifestStore
{
    /// <summary>The registry's host[:port] as the user named it.</summary>
    string Registry { get; }

    /// <summary>The manifest or index under a tag or digest, its digest verified.</summary>
    Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>Whether the repository holds the manifest with <paramref name="digest"/>.</summary>
    Task<bool> ManifestExistsAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Stores a manifest or index under <paramref name="reference"/> (a tag or its digest) with its exact media type.</summary>
    Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken);
}
