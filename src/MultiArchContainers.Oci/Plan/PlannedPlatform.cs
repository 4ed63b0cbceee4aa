namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// One RID of a publish, the platform its image runs on, and the base image's manifest for that platform as the plan
/// read it (null when there is no base image to read): its layers are the base layers of the RID's image.
/// </summary>
internal sealed record PlannedPlatform(
    [property: JsonPropertyName("rid")] string RuntimeIdentifier,
    [property: JsonPropertyName("platform")] Platform Platform,
    [property: JsonPropertyName("base")] Descriptor? BaseManifest = null);
