namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// Gives each RID that a node claims the first of its claiming nodes that answers; every other RID is built here.
/// Every candidate node is probed once, all at the same time.
/// </summary>
internal static class NodeAssigner
{
    /// <param name="rids">The planned RIDs, in index order.</param>
    /// <param name="nodes">The declared nodes, in declaration order (the order of preference).</param>
    /// <param name="requireNodes">ContainerRequireBuildNodes: a RID that no node claims is MAC3006.</param>
    /// <param name="probe">Null when the node answers, else why not.</param>
    /// <param name="report">Receives the errors; the assignment is incomplete when there were any.</param>
    /// <param name="log">Says which node builds which RID.</param>
    public static async Task<NodeAssignment> AssignAsync(
        IReadOnlyList<string> rids,
        IReadOnlyList<BuildNode> nodes,
        bool requireNodes,
        Func<BuildNode, Task<string?>> probe,
        Action<Diagnostic> report,
        Action<string> log)
    {
        var claims = rids.ToDictionary(rid => rid, rid => nodes.Where(n => n.RuntimeIdentifiers.Contains(rid, StringComparer.Ordinal)).ToList(), StringComparer.Ordinal);
        var local = rids.Where(rid => claims[rid].Count == 0).ToList();
        bool failed = false;
        if (requireNodes)
        {
            foreach (string rid in local)
            {
                report(Diagnostic.Error(MessageIds.BuildNodeRequired, rid));
                failed = true;
            }
        }

        if (failed || claims.All(c => c.Value.Count == 0))
        {
            return new NodeAssignment { Local = local };
        }

        var reachable = claims.Values.SelectMany(n => n).Distinct().ToDictionary(node => node, probe);
        var assigned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string rid, List<BuildNode> candidates) in claims.Where(c => c.Value.Count > 0))
        {
            var reasons = new List<(BuildNode Node, string Problem)>();
            BuildNode? chosen = null;
            foreach (BuildNode node in candidates)
            {
                if (await reachable[node].ConfigureAwait(false) is not { } problem)
                {
                    chosen = node;
                    break;
                }

                reasons.Add((node, problem));
            }

            if (chosen is null)
            {
                report(candidates.Count == 1
                    ? Diagnostic.Error(MessageIds.BuildNodeUnreachable, candidates[0].Name, candidates[0].Address, rid, reasons[0].Problem)
                    : Diagnostic.Error(MessageIds.BuildNodesAllUnreachable, rid, string.Join("; ", reasons.Select(r => $"{r.Node} for {rid}: {r.Problem}"))));
                continue;
            }

            log($"{rid} is built on node {chosen}");
            assigned[rid] = chosen.Name;
        }

        return new NodeAssignment { Nodes = assigned, Local = local };
    }
}
