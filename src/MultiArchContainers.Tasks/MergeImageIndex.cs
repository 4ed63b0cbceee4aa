using System.Text;
using Microsoft.Build.Framework;
using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Model;
using MultiArchContainers.Oci.Registry;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The fan-in half of a CI matrix: takes per-platform images from metadata files, image references or indexes
/// (any repository, any registry), copies what the target repository lacks, and pushes one index with the same
/// annotation model as PublishMultiArch under every tag.
/// </summary>
public sealed class MergeImageIndex : AnnotatingTask
{
    /// <summary>Metadata files, image references (registry/repo:tag or @digest) or indexes.</summary>
    [Required]
    public string[] Sources { get; set; } = [];

    /// <summary>The registry of the merged index (host[:port]); not needed when writing an archive.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository of the merged index.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>Every tag of the merged index.</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>Add to the index at the first tag; a source for a platform it has replaces that platform.</summary>
    public bool Append { get; set; }

    /// <summary>Print the index that would be pushed and touch nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>Also tag every image on its own as &lt;tag&gt;-&lt;rid or platform&gt; (ContainerPlatformTags).</summary>
    public bool PlatformTags { get; set; }

    /// <summary>Keep only these platforms (os/arch[/variant]); empty keeps all.</summary>
    public string[] Platforms { get; set; } = [];

    /// <summary>When set, the merged index and every image go into this OCI archive instead of the registry.</summary>
    public string ArchiveOutputPath { get; set; } = string.Empty;

    /// <summary>Where to write the merged index's metadata JSON; nothing is written when empty.</summary>
    public string MetadataFile { get; set; } = string.Empty;

    /// <summary>The pushed index (not set for a dry run).</summary>
    [Output]
    public ITaskItem? PublishedIndex { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        string[] sources = Sources.Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        if (sources.Length == 0)
        {
            Report(Diagnostic.Error(MessageIds.MergeNoSources));
            return;
        }

        var clients = new Dictionary<string, RegistryClient>(StringComparer.OrdinalIgnoreCase);
        RegistryClient Client(string registry)
        {
            lock (clients)
            {
                return clients.TryGetValue(registry, out RegistryClient? c) ? c : clients[registry] = CreateClient(registry);
            }
        }

        string workingDirectory = Path.Combine(Path.GetTempPath(), "multiarch-merge-" + Guid.NewGuid().ToString("N"));
        try
        {
            await MergeAsync(sources, Client, workingDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(workingDirectory))
            {
                Directory.Delete(workingDirectory, recursive: true);
            }

            foreach (RegistryClient client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    private async Task MergeAsync(string[] sources, Func<string, RegistryClient> clients, string workingDirectory, CancellationToken cancellationToken)
    {
        var resolver = new MergeSourceResolver(clients, workingDirectory);
        var entries = new List<MergeEntry>();
        foreach (string source in sources)
        {
            entries.AddRange(await resolver.ResolveAsync(source, cancellationToken).ConfigureAwait(false));
        }

        entries = Filter(entries);
        if (entries is null)
        {
            return;
        }

        CheckDuplicates(entries);
        if (Log.HasLoggedErrors)
        {
            return;
        }

        bool archive = ArchiveOutputPath.Length > 0;
        if (!archive && Registry.Length == 0)
        {
            Report(Diagnostic.Error(MessageIds.NoRegistry));
            return;
        }

        if (archive && Append)
        {
            Report(Diagnostic.Error(MessageIds.MergeArchiveUnsupported, ArchiveOutputPath));
            return;
        }

        RegistryClient? target = archive && Registry.Length == 0 ? null : clients(Registry);
        List<MergeEntry> kept = Append ? await ExistingEntriesAsync(target!, entries, cancellationToken).ConfigureAwait(false) : [];

        List<AnnotationInput> inputs = AllAnnotations();
        var images = entries.Where(e => !e.IsAttestation).Select(e => (e.Label, e.Manifest.Platform!)).ToList();
        AnnotationSet? annotations = Oci.Annotations.Resolve(inputs, new AnnotationContext(images) { ArchiveOutput = archive, DockerFormat = DockerFormat }, Report);
        if (annotations is null || Log.HasLoggedErrors)
        {
            return;
        }

        // Manifest annotations change a manifest's bytes and digest; attestations follow their image's new digest.
        var copier = new ImageCopier(clients, target, Repository);
        var manifests = new Dictionary<MergeEntry, byte[]>();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (MergeEntry entry in entries.Where(e => !e.IsAttestation))
        {
            byte[] original = await copier.ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false);
            byte[] bytes = ImageRewriter.AnnotateManifest(original, annotations.For(AnnotationLevel.Manifest, entry.Label));
            manifests[entry] = bytes;
            renamed[entry.Manifest.Digest.ToString()] = Digest.Sha256(bytes).ToString();
        }

        foreach (MergeEntry entry in entries.Where(e => e.IsAttestation))
        {
            manifests[entry] = await copier.ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        var platformImages = new List<PlatformImage>();
        foreach (MergeEntry entry in kept.Concat(entries))
        {
            Descriptor descriptor = entry.Manifest;
            if (manifests.TryGetValue(entry, out byte[]? bytes))
            {
                descriptor = descriptor with { Digest = Digest.Sha256(bytes), Size = bytes.LongLength };
            }

            if (entry.IsAttestation && entry.AttestedDigest is { } attested && renamed.TryGetValue(attested, out string? newDigest))
            {
                var annotationsOfEntry = new Dictionary<string, string>(descriptor.Annotations!, StringComparer.Ordinal) { [MergeEntry.ReferenceDigestKey] = newDigest };
                descriptor = descriptor with { Annotations = annotationsOfEntry };
            }

            platformImages.Add(new PlatformImage(entry.Label, descriptor));
        }

        ImageIndex index = IndexCombiner.Combine(platformImages, CombineOptions.From(annotations, platformImages.Select(i => i.RuntimeIdentifier).Distinct()));
        if (DryRun)
        {
            Info($"Dry run: this index would be pushed to {Registry}/{Repository} as {string.Join(", ", Tags)}; nothing was copied or pushed:");
            Info(Encoding.UTF8.GetString(OciJson.Serialize(index)));
            return;
        }

        if (archive)
        {
            await WriteArchiveAsync(copier, manifests, platformImages, index, annotations, workingDirectory, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach ((MergeEntry entry, byte[] bytes) in manifests)
        {
            await copier.CopyAsync(entry, bytes, cancellationToken).ConfigureAwait(false);
        }

        var publisher = new IndexPublisher(target!, Info) { TagPlatforms = PlatformTags };
        PublishedIndex published = await publisher.PublishAsync(Repository, platformImages, index, Tags, cancellationToken).ConfigureAwait(false);
        PublishedIndex = PublishedIndexItem(published, Repository, Tags, MetadataFile, registry: Registry);
    }

    private async Task WriteArchiveAsync(ImageCopier copier, Dictionary<MergeEntry, byte[]> manifests, List<PlatformImage> images, ImageIndex index, AnnotationSet annotations, string workingDirectory, CancellationToken cancellationToken)
    {
        string path = Oci.Layout.OciArchiveWriter.ArchivePath(ArchiveOutputPath, Repository);
        var writer = new Oci.Layout.OciArchiveWriter();
        string downloads = Path.Combine(workingDirectory, "downloads");
        foreach ((MergeEntry entry, byte[] bytes) in manifests)
        {
            await copier.AddToArchiveAsync(writer, entry, bytes, downloads, cancellationToken).ConfigureAwait(false);
        }

        PublishedIndex published = writer.WriteIndex(path, Repository, index, images, Tags, annotations.For(AnnotationLevel.IndexDescriptor), PlatformTags);
        Info($"Wrote image index {published.Descriptor.Digest} with {images.Count} manifest(s) as {string.Join(", ", Tags.Concat(published.PlatformTags.SelectMany(t => t)))} to the OCI archive {path}");
        PublishedIndex = PublishedIndexItem(published, Repository, Tags, MetadataFile, archivePath: path);
    }

    private List<MergeEntry>? Filter(List<MergeEntry> entries)
    {
        string[] wanted = Platforms.Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        if (wanted.Length == 0)
        {
            return entries;
        }

        var platforms = new List<Platform>();
        foreach (string text in wanted)
        {
            if (Oci.Annotations.ParseQualifier(text) is not { } platform)
            {
                Report(Diagnostic.Error(MessageIds.InvalidReference, text, "ContainerMergePlatforms entry", "expected os/architecture[/variant]"));
                return null;
            }

            platforms.Add(platform);
        }

        bool Wanted(Platform p) => platforms.Any(w => w.Os == p.Os && w.Architecture == p.Architecture
            && (w.Variant is null || w.Variant == (p.Variant ?? Platform.DefaultVariant(p.Architecture))));
        var images = entries.Where(e => !e.IsAttestation && Wanted(e.Manifest.Platform!)).ToList();
        if (images.Count == 0)
        {
            Report(Diagnostic.Error(MessageIds.MergeNothingLeft, string.Join(';', wanted), string.Join(", ", entries.Where(e => !e.IsAttestation).Select(e => e.Manifest.Platform))));
            return null;
        }

        var keptDigests = images.Select(e => e.Manifest.Digest.ToString()).ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => images.Contains(e) || (e.IsAttestation && e.AttestedDigest is { } d && keptDigests.Contains(d))).ToList();
    }

    private void CheckDuplicates(List<MergeEntry> entries)
    {
        var images = entries.Where(e => !e.IsAttestation).ToList();
        for (int i = 0; i < images.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (images[j].Manifest.Platform!.SameSlot(images[i].Manifest.Platform!))
                {
                    Report(Diagnostic.Error(MessageIds.MergeDuplicatePlatform, images[j].Source, images[i].Source, images[i].Manifest.Platform));
                }
            }
        }
    }

    /// <summary>For append: the entries of the index at the first tag whose platform no source replaces.</summary>
    private async Task<List<MergeEntry>> ExistingEntriesAsync(RegistryClient target, List<MergeEntry> entries, CancellationToken cancellationToken)
    {
        if (Tags.Length == 0)
        {
            return [];
        }

        ManifestContent current;
        try
        {
            current = await target.GetManifestAsync(Repository, Tags[0], cancellationToken).ConfigureAwait(false);
        }
        catch (MultiArchException ex) when (ex.Diagnostic.Code == "MAC1003" && ex.Diagnostic.Text.Contains("HTTP 404", StringComparison.Ordinal))
        {
            Info($"Append: {Registry}/{Repository}:{Tags[0]} does not exist yet; the index starts empty.");
            return [];
        }

        if (!MediaTypes.IsIndex(current.MediaType))
        {
            throw new MultiArchException(MessageIds.UnsupportedManifest, $"{Registry}/{Repository}:{Tags[0]}", current.MediaType);
        }

        ImageIndex index = OciJson.Deserialize<ImageIndex>(current.Content, "the index to append to");
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MergeEntry>();
        foreach (Descriptor descriptor in index.Manifests.Where(m => m.Platform is not null && !(m.Platform.Os == "unknown" && m.Platform.Architecture == "unknown")))
        {
            if (entries.Any(e => !e.IsAttestation && e.Manifest.Platform!.SameSlot(descriptor.Platform!)))
            {
                replaced.Add(descriptor.Digest.ToString());
                Info($"Append: {descriptor.Platform} is replaced.");
                continue;
            }

            result.Add(new MergeEntry($"{Registry}/{Repository}:{Tags[0]}", Registry, Repository, descriptor, descriptor.Platform!.ToString()));
        }

        // Attestations stay with the images they describe; those of replaced images go with them.
        foreach (Descriptor descriptor in index.Manifests.Where(m => m.Platform is { Os: "unknown", Architecture: "unknown" }))
        {
            var entry = new MergeEntry($"{Registry}/{Repository}:{Tags[0]}", Registry, Repository, descriptor, "attestation");
            if (entry.AttestedDigest is null || !replaced.Contains(entry.AttestedDigest))
            {
                result.Add(entry);
            }
        }

        return result;
    }
}
