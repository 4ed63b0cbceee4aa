namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// What an index or manifest may carry: every declared annotation byte for byte, and besides them only the generated
/// keys docs/annotations.md lists.
/// </summary>
internal static class DeclaredAnnotations
{
    public static readonly IReadOnlySet<string> GeneratedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "org.opencontainers.image.created", "org.opencontainers.image.version", "org.opencontainers.image.revision",
        "org.opencontainers.image.source", "org.opencontainers.image.title", "org.opencontainers.image.description",
        "org.opencontainers.image.authors", "org.opencontainers.image.vendor", "org.opencontainers.image.licenses",
        "org.opencontainers.image.url", "org.opencontainers.image.documentation", "org.opencontainers.image.base.name",
        "org.opencontainers.image.base.digest",
    };

    /// <summary>Every declared key with its exact value, and nothing else but generated keys.</summary>
    public static void AssertCarried(IReadOnlyDictionary<string, string> declared, IReadOnlyDictionary<string, string> actual)
    {
        foreach ((string key, string value) in declared)
        {
            Assert.True(actual.TryGetValue(key, out string? found), $"the declared annotation '{key}' is missing");
            Assert.Equal(value, found);
        }

        Assert.All(actual.Keys.Where(k => !declared.ContainsKey(k)), k => Assert.Contains(k, GeneratedKeys));
    }
}
