namespace MultiArchContainers.Oci.Model;

/// <summary>Media types of the OCI image spec and their Docker schema 2 counterparts.</summary>
internal static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>The empty descriptor's media type (content <c>{}</c>): the config of an OCI 1.1 artifact.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>What a manifest request accepts: every image and index type this tool reads.</summary>
    public static readonly IReadOnlyList<string> ManifestAccept = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
