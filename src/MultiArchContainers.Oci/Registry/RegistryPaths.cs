namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// The paths of the distribution API, built only from parts that pass the reference grammar: a repository, a tag or
/// digest. Nothing a project, a metadata file or a registry says becomes part of a URL unchecked.
/// </summary>
internal static class RegistryPaths
{
    public static string Manifest(string repository, string reference) => $"v2/{Repository(repository)}/manifests/{Reference(reference)}";

    public static string Blob(string repository, Digest digest) => $"v2/{Repository(repository)}/blobs/{digest}";

    public static string Tags(string repository) => $"v2/{Repository(repository)}/tags/list";

    public static string Referrers(string repository, Digest subject) => $"v2/{Repository(repository)}/referrers/{subject}";

    public static string Uploads(string repository) => $"v2/{Repository(repository)}/blobs/uploads/";

    public static string Mount(string repository, Digest digest, string fromRepository) =>
        $"{Uploads(repository)}?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(Repository(fromRepository))}";

    /// <summary>The token scope of a repository: <c>repository:&lt;name&gt;:&lt;actions&gt;</c>.</summary>
    public static string Scope(string repository, string actions) => $"repository:{Repository(repository)}:{actions}";

    private static string Repository(string repository) =>
        ImageReference.IsValidRepository(repository, out string? error) ? repository : throw new MultiArchException(MessageIds.InvalidReference, repository, "repository", error);

    private static string Reference(string reference) =>
        ImageReference.IsValidTag(reference) || Digest.TryParse(reference, out _) ? reference
            : throw new MultiArchException(MessageIds.InvalidReference, reference, "tag or digest", ImageReference.TagRule);
}
