using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Plan;

/// <summary>One RID of a publish and the platform its image runs on.</summary>
public sealed record PlannedPlatform(
    [property: JsonPropertyName("rid")] string RuntimeIdentifier,
    [property: JsonPropertyName("platform")] Platform Platform);
