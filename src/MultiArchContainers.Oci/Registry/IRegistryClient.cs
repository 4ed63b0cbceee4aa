namespace MultiArchContainers.Oci.Registry;

/// <summary>One registry: its manifests and blobs.</summary>
public interface IRegistryClient : IManifestStore, IBlobStore, IDisposable
{
    /// <summary>Checks that the registry answers the <c>/v2/</c> endpoint (with auth where it asks for it).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Every tag of <paramref name="repository"/>, across the pages a registry splits the list into.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);
}
