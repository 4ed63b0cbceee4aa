namespace MultiArchContainers.Oci.Plan;

/// <summary>Which node builds which RID. Passed to the project instance that drives the nodes as a JSON file, never as a string.</summary>
internal sealed record NodeAssignment
{
    /// <summary>RID to node name.</summary>
    [JsonPropertyName("nodes")]
    public IReadOnlyDictionary<string, string> Nodes { get; init; } = new Dictionary<string, string>();

    /// <summary>The planned RIDs no node claims: built here.</summary>
    [JsonPropertyName("local")]
    public IReadOnlyList<string> Local { get; init; } = [];

    public static void Write(string path, NodeAssignment assignment)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, OciJson.Serialize(assignment, PlanJsonContext.Rules));
    }

    public static NodeAssignment Read(string path)
    {
        try
        {
            return OciJson.Deserialize<NodeAssignment>(File.ReadAllBytes(path), "the node assignments", PlanJsonContext.Rules);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new MultiArchException(MessageIds.NodeAssignmentUnreadable, path, ex.Message);
        }
    }
}
