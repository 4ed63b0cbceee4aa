namespace MultiArchContainers.Oci.Registry;

/// <summary>One registry: its manifests and blobs.</summary>
internal interface IRegistryClient : IManifestStore, IBlobStore, IDisposable
{
    /// <summary>Checks that the registry answers the <c>/v2/</c> endpoint (with auth where it asks for it).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Every tag of <paramref name="repository"/>, across the pages a registry splits the list into.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>
    /// The registry's referrers API for <paramref name="subject"/> (OCI distribution 1.1): the index it answers, or
    /// null when it has no such API (any answer but 200 with an OCI index).
    /// </summary>
    Task<byte[]?> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken);
}
