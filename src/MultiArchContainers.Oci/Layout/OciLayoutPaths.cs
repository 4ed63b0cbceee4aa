namespace MultiArchContainers.Oci.Layout;

/// <summary>Where an OCI image layout keeps things: the one home of the blob path rule.</summary>
internal static class OciLayoutPaths
{
    /// <summary><c>blobs/&lt;algorithm&gt;/&lt;encoded&gt;</c> inside an archive or layout, always with '/'.</summary>
    public static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    /// <summary>The blob's file below a layout folder on this machine.</summary>
    public static string Blob(string root, Digest digest) => Path.Combine(root, "blobs", digest.Algorithm, digest.Encoded);
}
