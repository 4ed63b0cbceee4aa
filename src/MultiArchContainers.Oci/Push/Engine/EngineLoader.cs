using System.Runtime.InteropServices;
using MultiArchContainers.Oci.Layout;

namespace MultiArchContainers.Oci.Push.Engine;

/// <summary>
/// Loads an index (from the OCI archive a publish wrote) into a local container engine under every tag:
/// <list type="bullet">
/// <item>Podman: each platform image is loaded, then a manifest list <c>repository:tag</c> lists them with their
/// platforms and descriptor annotations (and the index annotations on Podman 5 and later; MAC2104 names those left out
/// before), so <c>podman run</c> picks the host's platform and <c>podman manifest push --all</c> pushes them all.</item>
/// <item>Docker with the containerd image store: the archive with its index, every platform.</item>
/// <item>Docker's classic store: the host's platform image only, and MAC2105 names the platforms not loaded.</item>
/// </list>
/// Attestation manifests (platform unknown/unknown) run nowhere and are not loaded.
/// </summary>
internal sealed class EngineLoader
{
    private readonly LocalEngine _engine;
    private readonly EngineCli _cli;
    private readonly Action<Diagnostic> _report;
    private readonly Action<string> _detail;

    public EngineLoader(LocalEngine engine, EngineCli cli, Action<Diagnostic> report, Action<string> detail)
    {
        _engine = engine;
        _cli = cli;
        _report = report;
        _detail = detail;
    }

    /// <summary>Loads the index of <paramref name="archivePath"/>; returns the names it is known by in the engine.</summary>
    /// <param name="archivePath">The OCI archive with the index (its index.json names it first).</param>
    /// <param name="repository">The repository of every name.</param>
    /// <param name="tags">Every tag: the engine knows the index (or the image) as repository:tag for each.</param>
    /// <param name="cancellationToken">Ends the engine's command.</param>
    /// <param name="workingDirectory">An empty folder for the archive's content and the archives handed to the engine.</param>
    public async Task<IReadOnlyList<string>> LoadAsync(string archivePath, string repository, IReadOnlyList<string> tags, string workingDirectory, CancellationToken cancellationToken)
    {
        string root = Path.Combine(workingDirectory, "index");
        OciArchiveReader.Extract(archivePath, root, archivePath);
        ImageIndex layout = OciJson.Deserialize<ImageIndex>(OciLayoutImage.ReadDocument(root, "index.json", archivePath), archivePath);
        Descriptor top = layout.Manifests.FirstOrDefault() ?? throw new MultiArchException(MessageIds.ArchiveInvalid, archivePath, "its index.json names nothing");
        byte[] indexBytes = OciLayoutImage.ReadVerified(root, top.Digest, archivePath);
        ImageIndex index = OciJson.Deserialize<ImageIndex>(indexBytes, archivePath);
        List<Descriptor> images = index.Manifests.Where(m => m.Platform is { } p && p.Os != "unknown").ToList();
        string[] names = tags.Select(tag => $"{repository}:{tag}").ToArray();

        if (_engine.Kind == EngineKind.Podman)
        {
            await LoadIntoPodmanAsync(root, index, images, names, workingDirectory, cancellationToken).ConfigureAwait(false);
        }
        else if (_engine.HoldsIndexes)
        {
            string path = Path.Combine(workingDirectory, "docker-index.tar");
            WriteArchive(root, path, top with { Annotations = null }, index.Manifests, names);
            await RunAsync(["load", "--quiet", "--input", path], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Descriptor host = HostImage(images) ?? throw new MultiArchException(MessageIds.EngineHostPlatformMissing, HostPlatform, string.Join(", ", images.Select(i => i.Platform)));
            string path = Path.Combine(workingDirectory, "docker-image.tar");
            WriteArchive(root, path, host, [host], names);
            await RunAsync(["load", "--quiet", "--input", path], cancellationToken).ConfigureAwait(false);
            List<Descriptor> left = images.Where(i => i != host).ToList();
            if (left.Count > 0)
            {
                _report(Diagnostic.Warning(MessageIds.EngineLoadsHostPlatformOnly, host.Platform, string.Join(", ", names), string.Join(", ", left.Select(i => i.Platform))));
            }
        }

        return names;
    }

    private async Task LoadIntoPodmanAsync(string root, ImageIndex index, List<Descriptor> images, string[] names, string workingDirectory, CancellationToken cancellationToken)
    {
        var loaded = new List<(Descriptor Image, string Id)>();
        foreach (Descriptor image in images)
        {
            string path = Path.Combine(workingDirectory, image.Digest.Encoded + ".tar");
            WriteArchive(root, path, image with { Annotations = null, Platform = null }, [image], []);
            EngineResult result = await RunAsync(["load", "--quiet", "--input", path], cancellationToken).ConfigureAwait(false);
            // "Loaded image: sha256:<id>" (or "Loaded image(s): …"): the image's ID, which names it in the engine's storage.
            string id = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Loaded image", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? throw new MultiArchException(MessageIds.EngineCommandFailed, "podman load", result.ExitCode, $"it named no loaded image ({LocalEngine.FirstLine(result.Output, result.Error)})", _engine.Program);
            loaded.Add((image, id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id));
        }

        // Each name moves to the new list, as a tag moves in a registry: a list that had the name is removed (the
        // images it listed stay), an image that had it keeps its content under its ID.
        foreach (string name in names)
        {
            if ((await _cli.RunAsync("podman", ["manifest", "exists", name], cancellationToken).ConfigureAwait(false))?.ExitCode == 0)
            {
                await RunAsync(["manifest", "rm", name], cancellationToken).ConfigureAwait(false);
            }
            else if ((await _cli.RunAsync("podman", ["image", "exists", name], cancellationToken).ConfigureAwait(false))?.ExitCode == 0)
            {
                await RunAsync(["untag", name], cancellationToken).ConfigureAwait(false);
            }
        }

        await RunAsync(["manifest", "create", names[0]], cancellationToken).ConfigureAwait(false);
        foreach ((Descriptor image, string id) in loaded)
        {
            Platform platform = image.Platform!;
            var arguments = new List<string> { "manifest", "add", "--os", platform.Os, "--arch", platform.Architecture };
            if (platform.Variant is { Length: > 0 } variant)
            {
                arguments.AddRange(["--variant", variant]);
            }

            if (platform.OsVersion is { Length: > 0 } osVersion)
            {
                arguments.AddRange(["--os-version", osVersion]);
            }

            foreach ((string key, string value) in image.Annotations ?? new Dictionary<string, string>())
            {
                arguments.AddRange(["--annotation", $"{key}={value}"]);
            }

            arguments.AddRange([names[0], "containers-storage:" + id]);
            await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, string> indexAnnotations = index.Annotations ?? new Dictionary<string, string>();
        if (indexAnnotations.Count > 0 && _engine.MajorVersion >= 5)
        {
            var arguments = new List<string> { "manifest", "annotate", "--index" };
            foreach ((string key, string value) in indexAnnotations)
            {
                arguments.AddRange(["--annotation", $"{key}={value}"]);
            }

            await RunAsync([.. arguments, names[0]], cancellationToken).ConfigureAwait(false);
        }
        else if (indexAnnotations.Count > 0)
        {
            _report(Diagnostic.Warning(MessageIds.EngineDropsIndexAnnotations, "Podman " + _engine.Version, names[0], string.Join(", ", indexAnnotations.Keys)));
        }

        foreach (string name in names.Skip(1))
        {
            await RunAsync(["tag", names[0], name], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An OCI archive of <paramref name="images"/> (and <paramref name="top"/>, the entry its index.json names under every name).</summary>
    private static void WriteArchive(string root, string path, Descriptor top, IReadOnlyList<Descriptor> images, IReadOnlyList<string> names)
    {
        var writer = new OciArchiveWriter();
        if (top.MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            writer.AddBytes(OciLayoutImage.ReadVerified(root, top.Digest, path));
        }

        foreach (Descriptor image in images)
        {
            writer.AddImage(OciLayoutImage.FromManifest(root, image.MediaType, OciLayoutImage.ReadVerified(root, image.Digest, path), path));
        }

        // Docker names a loaded image from io.containerd.image.name (a full reference); Podman from the ref.name.
        IReadOnlyList<Descriptor> entries = names.Count == 0
            ? [top]
            : names.Select(name => top with
            {
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["io.containerd.image.name"] = DockerName(name),
                    [OciArchiveWriter.RefNameKey] = name[(name.LastIndexOf(':') + 1)..],
                },
            }).ToList();
        writer.WriteLayout(path, entries);
    }

    /// <summary>A name as Docker stores it: docker.io/library/ for a one-part name, docker.io/ for a name without a registry.</summary>
    public static string DockerName(string name)
    {
        string first = name.Split('/')[0];
        bool hasRegistry = name.Contains('/', StringComparison.Ordinal) && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        return hasRegistry ? name : name.Contains('/', StringComparison.Ordinal) ? "docker.io/" + name : "docker.io/library/" + name;
    }

    private static string HostPlatform => "linux/" + (RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    });

    private static Descriptor? HostImage(IEnumerable<Descriptor> images) =>
        images.FirstOrDefault(i => $"{i.Platform!.Os}/{i.Platform.Architecture}" == HostPlatform);

    private async Task<EngineResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        _detail($"{_engine.Program} {string.Join(' ', arguments)}");
        EngineResult? result = await _cli.RunAsync(_engine.Program, arguments, cancellationToken).ConfigureAwait(false);
        if (result is null || result.ExitCode != 0)
        {
            throw new MultiArchException(MessageIds.EngineCommandFailed, $"{_engine.Program} {string.Join(' ', arguments.Take(2))}", result?.ExitCode ?? -1,
                result is null ? $"'{_engine.Program}' is no longer on PATH" : LocalEngine.FirstLine(result.Error, result.Output), _engine.Program);
        }

        return result;
    }
}
