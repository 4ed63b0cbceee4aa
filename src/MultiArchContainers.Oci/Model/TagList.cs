namespace MultiArchContainers.Oci.Model;

/// <summary>One page of a repository's tags list (<c>GET /v2/&lt;name&gt;/tags/list</c>).</summary>
internal sealed record TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}
