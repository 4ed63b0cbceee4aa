namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// The manifest half of a registry held in memory, recording every call, for the publishing rules that do not
/// depend on HTTP. Registry behaviour itself is tested against the real registry.
/// </summary>
internal sealed class InMemoryRegistry : IManifestStore
{
    private readonly Dictionary<string, (byte[] Content, string MediaType)> _manifests = new(StringComparer.Ordinal);

    public string Registry => "memory.example";

    public List<string> Calls { get; } = [];

    public void Add(string repository, byte[] content, string mediaType) =>
        _manifests[$"{repository}@{Digest.Sha256(content)}"] = (content, mediaType);

    public IReadOnlyList<string> Tags(string repository) =>
        _manifests.Keys.Where(k => k.StartsWith(repository + ":", StringComparison.Ordinal)).Select(k => k[(repository.Length + 1)..]).Order(StringComparer.Ordinal).ToList();

    public Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        Calls.Add($"GET {reference}");
        string key = Digest.TryParse(reference, out _) ? $"{repository}@{reference}" : $"{repository}:{reference}";
        return _manifests.TryGetValue(key, out var manifest)
            ? Task.FromResult(new ManifestContent(manifest.Content, manifest.MediaType, Digest.Sha256(manifest.Content)))
            : throw new RegistryException(Diagnostic.Error(MessageIds.RegistryRequestFailed, Registry, reference, 404, string.Empty), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    public Task<long?> ManifestSizeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        Calls.Add($"HEAD {digest}");
        return Task.FromResult(_manifests.TryGetValue($"{repository}@{digest}", out var manifest) ? manifest.Content.LongLength : (long?)null);
    }

    public Task<Digest?> ResolveManifestAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        Calls.Add($"HEAD {tag}");
        return Task.FromResult(_manifests.TryGetValue($"{repository}:{tag}", out var manifest) ? Digest.Sha256(manifest.Content) : (Digest?)null);
    }

    public Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        Calls.Add($"PUT {reference}");
        _manifests[Digest.TryParse(reference, out _) ? $"{repository}@{reference}" : $"{repository}:{reference}"] = (content, mediaType);
        return Task.FromResult(Digest.Sha256(content));
    }
}
