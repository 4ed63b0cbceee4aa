using System.Formats.Tar;
using System.Text;

namespace MultiArchContainers.Tasks.Nodes;

/// <summary>
/// Builds one RID's image on a node: makes a fresh folder there, streams the project's sources and this SDK's
/// package over the ssh connection, runs PublishPlatformImage, reads back the descriptor, and removes the folder,
/// on failure too. Nothing is shared through a file system.
/// </summary>
internal sealed class RemoteBuilder
{
    private readonly SshRunner _ssh;
    private readonly Action<Diagnostic> _report;
    private readonly Action<string> _log;

    public RemoteBuilder(SshRunner ssh, Action<Diagnostic> report, Action<string> log)
    {
        _ssh = ssh;
        _report = report;
        _log = log;
    }

    /// <summary>Whether the node answers (used to pick the first reachable node for a RID).</summary>
    public async Task<string?> ProbeAsync(BuildNode node, CancellationToken cancellationToken)
    {
        try
        {
            SshResult result = await _ssh.RunAsync(node, "true", null, null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0 ? null : FirstLine(result.StandardError, $"ssh exited with {result.ExitCode}");
        }
        catch (TimeoutException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The pushed image, or null when the build failed (the errors are reported).</summary>
    public async Task<NodeImage?> BuildAsync(BuildNode node, RemoteBuildRequest request, CancellationToken cancellationToken)
    {
        string rid = request.RuntimeIdentifier;
        SshResult made = await RunAsync(node, $"mkdir -p {ShellQuote.Quote(node.WorkingDirectory)} && mktemp -d {ShellQuote.Quote(node.WorkingDirectory.TrimEnd('/') + "/multiarch-XXXXXXXX")}", null, rid, cancellationToken).ConfigureAwait(false);
        if (made.ExitCode != 0)
        {
            _report(Diagnostic.Error(MessageIds.BuildNodeUnreachable, node.Name, node.Address, rid, FirstLine(made.StandardError, $"ssh exited with {made.ExitCode}")));
            return null;
        }

        string folder = made.StandardOutput.Trim();
        try
        {
            SshResult sent = await RunAsync(node, $"tar -x -C {ShellQuote.Quote(folder)}", stream => WriteSourcesAsync(stream, request, ResponseFile(request.Properties), cancellationToken), rid, cancellationToken).ConfigureAwait(false);
            if (sent.ExitCode != 0)
            {
                _report(Diagnostic.Error(MessageIds.BuildNodeFailed, node.Name, rid, sent.ExitCode, "sending the sources: " + FirstLine(sent.StandardError, string.Empty)));
                return null;
            }

            string metadata = folder + "/image.json";
            string archive = folder + "/image.tar";
            var words = new List<string> { "env" };
            words.AddRange(request.Environment.Select(e => $"{e.Key}={e.Value}"));
            // The build's properties (NuGet keys, passwords given as -p:) travel in a response file over the connection,
            // never on a command line that ps shows on either machine.
            words.AddRange([node.DotnetPath, "publish", $"{folder}/src/{request.ProjectFile}", $"@{folder}/build.rsp", "-nologo", "-t:PublishPlatformImage",
                $"-p:ContainerRuntimeIdentifier={rid}", $"-p:ContainerMetadataFile={metadata}"]);
            if (node.TransferArchive)
            {
                words.Add($"-p:_MultiArchTransferArchive={archive}");
            }

            // From the project's own folder, as a local build runs: global.json and the rest are found upward from there.
            string projectFolder = $"{folder}/src/{request.ProjectFile}"[..^(Path.GetFileName(request.ProjectFile).Length + 1)];
            string build = SshRunner.EndWithConnection($"cd {ShellQuote.Quote(projectFolder)} && {ShellQuote.Join(words)}");
            _log($"[{node.Name}] building {rid}");
            SshResult built = await RunAsync(node, build, null, rid, cancellationToken, line => Forward(node, line)).ConfigureAwait(false);
            // 127 is the shell's (and env's) "command not found": the node has no such dotnet.
            if (built.ExitCode == 127)
            {
                _report(Diagnostic.Error(MessageIds.BuildNodeNoDotnet, node.Name, rid, node.DotnetPath, FirstLine(built.StandardError, string.Empty)));
                return null;
            }

            if (built.ExitCode != 0)
            {
                _report(Diagnostic.Error(MessageIds.BuildNodeFailed, node.Name, rid, built.ExitCode, "the remote build failed; its errors are above, prefixed with [" + node.Name + "]"));
                return null;
            }

            // The metadata file comes back on its own connection: its whole output is the document, nothing is searched.
            SshResult answer = await RunAsync(node, $"cat {ShellQuote.Quote(metadata)}", null, rid, cancellationToken).ConfigureAwait(false);
            NodeImage? image = ReadImage(node, rid, answer);
            if (image is null || !node.TransferArchive)
            {
                return image;
            }

            Directory.CreateDirectory(request.LocalFolder);
            string local = Path.Combine(request.LocalFolder, rid + ".tar");
            SshResult fetched = await FetchAsync(node, $"cat {ShellQuote.Quote(archive)}", local, rid, cancellationToken).ConfigureAwait(false);
            if (fetched.ExitCode != 0)
            {
                _report(Diagnostic.Error(MessageIds.BuildNodeFailed, node.Name, rid, fetched.ExitCode, "fetching the image archive: " + FirstLine(fetched.StandardError, string.Empty)));
                return null;
            }

            _log($"[{node.Name}] sent the image of {rid} back as an OCI archive ({new FileInfo(local).Length} bytes)");
            return image;
        }
        finally
        {
            // Removed on failure and cancellation too; a node that went away keeps the folder in its temp space.
            await RunAsync(node, $"rm -rf {ShellQuote.Quote(folder)}", null, rid, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<SshResult> FetchAsync(BuildNode node, string command, string path, string rid, CancellationToken cancellationToken)
    {
        try
        {
            return await _ssh.RunToFileAsync(node, command, path, node.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new MultiArchException(MessageIds.BuildNodeTimeout, node.Name, rid, node.Timeout, ex.Message);
        }
    }

    /// <summary>
    /// The properties as an MSBuild response file, one <c>-p:</c> a line: a value with ';', ',' or spaces in quotes (the
    /// same list it is here), a quote or a line break in it as MSBuild's %XX escape.
    /// </summary>
    private static string ResponseFile(IReadOnlyDictionary<string, string> properties)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in properties)
        {
            string escaped = value.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
            text.Append("-p:").Append(name).Append('=')
                .Append(escaped.IndexOfAny([';', ',', ' ', '\t']) >= 0 ? $"\"{escaped}\"" : escaped).Append('\n');
        }

        return text.ToString();
    }

    private async Task<SshResult> RunAsync(BuildNode node, string command, Func<Stream, Task>? input, string rid, CancellationToken cancellationToken, Action<string>? onLine = null)
    {
        try
        {
            return await _ssh.RunAsync(node, command, input, onLine, node.Timeout, cancellationToken, holdInput: onLine is not null).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new MultiArchException(MessageIds.BuildNodeTimeout, node.Name, rid, node.Timeout, ex.Message);
        }
    }

    /// <summary>Remote MSBuild errors and warnings become local ones, prefixed with the node; the rest is detail.</summary>
    private void Forward(BuildNode node, string line)
    {
        int error = line.IndexOf(": error ", StringComparison.Ordinal);
        int warning = line.IndexOf(": warning ", StringComparison.Ordinal);
        if (error >= 0)
        {
            // The node's own code when it has one; an uncoded remote error counts as a failed node build.
            string code = CodeOf(line[(error + 8)..]);
            _report(new Diagnostic(DiagnosticSeverity.Error, code.Length > 0 ? code : "MAC3003", $"[{node.Name}] {line.Trim()}"));
        }
        else if (warning >= 0)
        {
            _report(new Diagnostic(DiagnosticSeverity.Warning, CodeOf(line[(warning + 10)..]), $"[{node.Name}] {line.Trim()}"));
        }
        else
        {
            _log($"[{node.Name}] {line}");
        }
    }

    private static string CodeOf(string rest)
    {
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !rest[..colon].Contains(' ', StringComparison.Ordinal) ? rest[..colon] : string.Empty;
    }

    private NodeImage? ReadImage(BuildNode node, string rid, SshResult answer)
    {
        string? error = FirstLine(answer.StandardError, $"ssh exited with {answer.ExitCode}");
        MetadataDocument? document = answer.ExitCode == 0 ? MetadataFile.TryParse(Encoding.UTF8.GetBytes(answer.StandardOutput), out error) : null;
        IReadOnlyList<PlatformImage> images = document?.Images() ?? [];
        if (images.Where(i => !i.IsAttestation).ToList() is not [{ } image] || images.Count(i => i.IsAttestation) > 1)
        {
            _report(Diagnostic.Error(MessageIds.BuildNodeFailed, node.Name, rid, answer.ExitCode, "the node did not return the image's descriptor: " + error));
            return null;
        }

        PlatformImage? attestation = images.FirstOrDefault(i => i.IsAttestation);
        return new NodeImage(image with { Label = rid }, attestation is null ? null : attestation with { Label = Oci.Collect.Attest.AttestationRequest.LabelFor(rid) });
    }

    /// <summary>src/ (the request's source files), feed/ (this SDK's package), a nuget.config naming feed/, and build.rsp.</summary>
    private static async Task WriteSourcesAsync(Stream output, RemoteBuildRequest request, string responseFile, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (string file in request.SourceFiles)
        {
            string relative = Path.GetRelativePath(request.SourceRoot, file).Replace('\\', '/');
            await writer.WriteEntryAsync(file, "src/" + relative, cancellationToken).ConfigureAwait(false);
        }

        await writer.WriteEntryAsync(request.PackagePath, "feed/" + Path.GetFileName(request.PackagePath), cancellationToken).ConfigureAwait(false);
        byte[] config = Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="multiarch-sent-with-the-build" value="feed" />
              </packageSources>
            </configuration>
            """);
        await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "nuget.config") { DataStream = new MemoryStream(config) }, cancellationToken).ConfigureAwait(false);
        await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "build.rsp") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(responseFile)), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite }, cancellationToken).ConfigureAwait(false);
    }

    private static string FirstLine(string text, string fallback)
    {
        string? line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }
}
