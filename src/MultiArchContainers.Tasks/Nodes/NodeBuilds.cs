using System.Diagnostics;
using MultiArchContainers.Oci.Collect;

namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// Runs the assigned RIDs on their nodes, all at the same time, and returns the images they built: pushed by the
/// node, or sent back as an archive and pushed from here by digest, like a local build's.
/// </summary>
internal sealed class NodeBuilds
{
    private readonly RemoteBuilder _builder;
    private readonly Func<string, IRegistryClient> _clients;
    private readonly Action<string> _log;

    public NodeBuilds(RemoteBuilder builder, Func<string, IRegistryClient> clients, Action<string> log)
    {
        _builder = builder;
        _clients = clients;
        _log = log;
    }

    /// <summary>
    /// The images built, each with the layout it was unpacked to when it came back as an archive and is kept for an
    /// OCI archive output (<paramref name="archiveOutput"/>: every node then sends its image back); a failed node's RID
    /// is missing (its errors are reported).
    /// </summary>
    public async Task<List<(PlatformImage Image, string? LayoutRoot)>> RunAsync(IReadOnlyList<(string Rid, BuildNode Node)> assignments, NodeBuildSettings settings, bool archiveOutput, CancellationToken cancellationToken)
    {
        string projectFile = NodeSources.RelativeProjectPath(settings.SourceRoot, settings.ProjectPath);
        List<string> files = NodeSources.Files(settings.SourceRoot).ToList();
        _log($"Sending {settings.SourceRoot} ({files.Count} files) to the build nodes; they build {projectFile}");
        string receivedFolder = Path.Combine(settings.WorkingDirectory, "from-nodes");
        var nodes = assignments.Select(a => (a.Rid, Node: archiveOutput ? a.Node with { TransferArchive = true } : a.Node)).ToList();
        NodeImage?[] results = await Task.WhenAll(nodes.Select(async a =>
        {
            var clock = Stopwatch.StartNew();
            var request = new RemoteBuildRequest(a.Rid, settings.SourceRoot, files, projectFile, settings.PackagePath, receivedFolder, settings.Properties, settings.Environment);
            NodeImage? image = await _builder.BuildAsync(a.Node, request, cancellationToken).ConfigureAwait(false);
            _log($"{a.Rid} on node {a.Node.Name}: {(image is null ? "failed" : "done")} after {clock.Elapsed.TotalSeconds:0.0} s");
            return image;
        })).ConfigureAwait(false);

        var images = new List<(PlatformImage, string?)>();
        foreach ((NodeImage? built, (string rid, BuildNode node)) in results.Zip(nodes))
        {
            if (built is null)
            {
                continue;
            }

            (PlatformImage image, PlatformImage? attestation) = built;

            if (!node.TransferArchive)
            {
                images.Add((image, null));
                if (attestation is not null)
                {
                    images.Add((attestation, null));
                }

                continue;
            }

            var received = new ReceivedImage(rid, node.Name, image, attestation, Path.Combine(receivedFolder, rid + ".tar"));
            if (archiveOutput)
            {
                images.AddRange(received.Keep(Path.Combine(receivedFolder, rid)));
                continue;
            }

            using IRegistryClient client = _clients(settings.Registry);
            images.AddRange(await received.PushAsync(Path.Combine(receivedFolder, rid), client, settings.Repository, _log, cancellationToken).ConfigureAwait(false));
        }

        return images;
    }
}
