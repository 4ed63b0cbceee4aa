namespace MultiArchContainers.Oci.Plan;

/// <summary>One resolved annotation: its level (index, manifest, manifest-descriptor, index-descriptor), RID below the index, key and value.</summary>
internal sealed record PlannedAnnotation(
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("rid")] string? RuntimeIdentifier,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);
