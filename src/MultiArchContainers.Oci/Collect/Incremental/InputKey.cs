namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>A key made by <see cref="KeyBuilder"/>: the digest of every field, and the fields, by name.</summary>
internal sealed record InputKey(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>
    /// Null when both keys are the same; else the first field, by name, that <paramref name="now"/> adds, drops or
    /// changes compared with this one, as "name changed", "name is new" or "name is gone".
    /// </summary>
    public string? Difference(InputKey now)
    {
        if (now.Value == Value)
        {
            return null;
        }

        foreach (string name in Fields.Keys.Union(now.Fields.Keys).Order(StringComparer.Ordinal))
        {
            bool before = Fields.TryGetValue(name, out string? old);
            bool after = now.Fields.TryGetValue(name, out string? current);
            if (before && after && old != current)
            {
                return $"{name} changed";
            }

            if (before != after)
            {
                return after ? $"{name} is new" : $"{name} is gone";
            }
        }

        return "the inputs changed";
    }
}
