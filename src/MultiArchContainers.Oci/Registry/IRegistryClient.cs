namespace MultiArchContainers.Oci.Registry;

/// <summary>One registry: its manifests and blobs.</summary>
public interface IRegistryClient : IManifestStore, IBlobStore, IDisposable
{
    /// <summary>Checks that the registry answers the <c>/v2/</c> endpoint (with auth where it asks for it).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
