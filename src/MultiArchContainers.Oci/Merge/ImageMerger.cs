using MultiArchContainers.Oci.Annotations;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Combine;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Push;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Merge;

/// <summary>
/// The fan-in of a CI matrix: resolves the sources, keeps the wanted platforms, applies the annotation model (manifest
/// annotations change an image's digest, and its attestations follow), then copies what the target lacks and pushes
/// the index under every tag once every child is present, or writes an OCI archive, or only shows the index.
/// </summary>
internal sealed class ImageMerger
{
    private readonly Func<string, IRegistryClient> _clients;
    private readonly string _workingDirectory;
    private readonly Action<Diagnostic> _report;
    private readonly Action<string> _log;

    /// <param name="clients">Clients by registry name, shared and disposed by the caller.</param>
    /// <param name="workingDirectory">A private folder for unpacked archives and downloads; the caller removes it.</param>
    /// <param name="report">Receives every error and warning.</param>
    /// <param name="log">Receives progress messages.</param>
    public ImageMerger(Func<string, IRegistryClient> clients, string workingDirectory, Action<Diagnostic> report, Action<string> log)
    {
        _clients = clients;
        _workingDirectory = workingDirectory;
        _report = report;
        _log = log;
    }

    /// <summary>The result, or null when an error was reported.</summary>
    public async Task<MergeResult?> MergeAsync(MergeRequest request, CancellationToken cancellationToken)
    {
        string[] sources = request.Sources.Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        if (sources.Length == 0)
        {
            _report(Diagnostic.Error(MessageIds.MergeNoSources));
            return null;
        }

        // Everything that becomes part of a URL or a tag is checked before anything is read or moved.
        bool valid = ImageReference.IsValidRepository(request.Repository, out string? repositoryError);
        if (!valid)
        {
            _report(Diagnostic.Error(MessageIds.InvalidReference, request.Repository, "ContainerRepository", repositoryError));
        }

        foreach (string tag in request.Tags.Where(t => !ImageReference.IsValidTag(t)))
        {
            _report(Diagnostic.Error(MessageIds.InvalidReference, tag, "tag", ImageReference.TagRule));
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        var resolver = new MergeSourceResolver(_clients, _workingDirectory);
        var resolved = new List<MergeEntry>();
        foreach (string source in sources)
        {
            resolved.AddRange(await resolver.ResolveAsync(source, cancellationToken).ConfigureAwait(false));
        }

        // The same manifest from two sources (an image, or an attestation that both carry) is taken once.
        resolved = resolved.DistinctBy(e => e.Manifest.Digest).ToList();
        if (MergeSelection.Filter(resolved, request.Platforms, _report) is not { } entries || !MergeSelection.CheckDuplicates(entries, _report))
        {
            return null;
        }

        bool archive = request.ArchiveOutputPath.Length > 0;
        if (!archive && request.Registry.Length == 0)
        {
            _report(Diagnostic.Error(MessageIds.NoRegistry));
            return null;
        }

        if (archive && request.Append)
        {
            _report(Diagnostic.Error(MessageIds.MergeArchiveUnsupported, request.ArchiveOutputPath));
            return null;
        }

        IRegistryClient? target = archive && request.Registry.Length == 0 ? null : _clients(request.Registry);
        var images = entries.Where(e => !e.IsAttestation).Select(e => (e.Label, e.Manifest.Platform!)).ToList();
        var context = new AnnotationContext(images) { ArchiveOutput = archive, DockerFormat = request.DockerFormat };
        bool failed = false;
        AnnotationSet? annotations = AnnotationResolver.Resolve(request.Annotations, context, d =>
        {
            failed |= d.Severity == DiagnosticSeverity.Error;
            _report(d);
        });
        if (annotations is null || failed)
        {
            return null;
        }

        // An appending merge starts over when the index it appends to moved while it worked.
        for (int attempt = 1; ; attempt++)
        {
            if (await MergeOnceAsync(request, entries, annotations, target, attempt, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }
        }
    }

    /// <summary>The times an appending merge starts over before it gives up (MAC1017).</summary>
    public const int AppendAttempts = 3;

    /// <summary>One attempt; null when the index appended to moved and the merge must start over.</summary>
    private async Task<MergeResult?> MergeOnceAsync(MergeRequest request, List<MergeEntry> entries, AnnotationSet annotations, IRegistryClient? target, int attempt, CancellationToken cancellationToken)
    {
        bool append = request.Append && request.Tags.Count > 0;
        (List<MergeEntry> kept, Digest? appendedTo) = append
            ? await AppendBase.ReadAsync(target!, request.Repository, request.Tags[0], entries, _log, cancellationToken).ConfigureAwait(false)
            : ([], null);
        var copier = new ImageCopier(_clients, target, request.Repository);
        (Dictionary<MergeEntry, byte[]?> manifests, List<PlatformImage> platformImages) =
            await AnnotateAsync(copier, entries, kept, annotations, cancellationToken).ConfigureAwait(false);
        ImageIndex index = IndexCombiner.Combine(platformImages, CombineOptions.From(annotations, platformImages.Select(i => i.Label).Distinct()));
        if (request.DryRun)
        {
            return new MergeResult(null, null, index);
        }

        if (request.ArchiveOutputPath.Length > 0)
        {
            string path = OciArchiveWriter.ArchivePath(request.ArchiveOutputPath, request.Repository);
            var writer = new OciArchiveWriter();
            string downloads = Path.Combine(_workingDirectory, "downloads");
            foreach ((MergeEntry entry, byte[]? bytes) in manifests)
            {
                await copier.AddToArchiveAsync(writer, entry, bytes ?? await copier.ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false), downloads, cancellationToken).ConfigureAwait(false);
            }

            PublishedIndex written = writer.WriteIndex(path, request.Repository, OciJson.Serialize(index), platformImages, request.Tags, annotations.For(AnnotationLevel.IndexDescriptor), request.PlatformTags);
            return new MergeResult(written, path, index);
        }

        var confirmed = new HashSet<Digest>();
        var copied = new Dictionary<Digest, (MergeEntry Entry, byte[]? Bytes)>();
        foreach ((MergeEntry entry, byte[]? bytes) in manifests)
        {
            Digest digest = await copier.EnsureAsync(entry, bytes, cancellationToken).ConfigureAwait(false);
            confirmed.Add(digest);
            copied[digest] = (entry, bytes);

            // An image copied as it is from another repository keeps its signatures and referrers there; one whose
            // manifest a manifest annotation changed is another image, which they do not sign.
            if (bytes is null && entry.LayoutRoot is null
                && !(entry.Registry.Equals(target!.Registry, StringComparison.OrdinalIgnoreCase) && entry.Repository == request.Repository))
            {
                int signatures = await new Push.Sign.SignatureCopier(_clients(entry.Registry), entry.Repository, target, request.Repository, _log)
                    .CopyAsync(digest, cancellationToken).ConfigureAwait(false);
                if (signatures > 0)
                {
                    _log($"{entry.Label}: copied {signatures} signature manifest(s) and referrer(s) of {digest} from {entry.Registry}/{entry.Repository}");
                }
            }
        }

        // An appending merge checks the index it appends to right before the first tag moves, after every other check.
        Func<CancellationToken, Task<bool>>? appendBaseUnmoved = !append ? null : async token =>
            await AppendBase.CurrentAsync(target!, request.Repository, request.Tags[0], token).ConfigureAwait(false) == appendedTo;
        var publisher = new IndexPublisher(target!, _log)
        {
            TagPlatforms = request.PlatformTags,
            Confirmed = confirmed,
            RestoreChildren = async (missing, token) =>
            {
                foreach (PlatformImage child in missing.Where(m => copied.ContainsKey(m.Manifest.Digest)))
                {
                    (MergeEntry entry, byte[]? bytes) = copied[child.Manifest.Digest];
                    await copier.EnsureAsync(entry, bytes, token).ConfigureAwait(false);
                }
            },
        };
        if (await publisher.PublishIfAsync(
            request.Repository, platformImages, OciJson.Serialize(index), index.MediaType ?? MediaTypes.OciIndex, request.Tags, appendBaseUnmoved, cancellationToken).ConfigureAwait(false) is { } published)
        {
            return new MergeResult(published, null, index);
        }

        // The index appended to moved before the first tag did: start over from its new content.
        string name = $"{target!.Registry}/{request.Repository}:{request.Tags[0]}";
        if (attempt >= AppendAttempts)
        {
            throw new MultiArchException(MessageIds.AppendBaseMoved, name, attempt);
        }

        _log($"Append: {name} changed while this merge worked; starting over from its new content.");
        return null;
    }

    /// <summary>
    /// Writes the manifest annotations into the images that get any (reading those manifests), and re-points the
    /// attestations of images whose digest changed. Returns, per entry, the manifest bytes to copy (null: the entry's
    /// own manifest, unchanged and not read) and the index's images in order.
    /// </summary>
    private static async Task<(Dictionary<MergeEntry, byte[]?> Manifests, List<PlatformImage> Images)> AnnotateAsync(
        ImageCopier copier, List<MergeEntry> entries, List<MergeEntry> kept, AnnotationSet annotations, CancellationToken cancellationToken)
    {
        var manifests = new Dictionary<MergeEntry, byte[]?>();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (MergeEntry entry in entries)
        {
            IReadOnlyDictionary<string, string> wanted = entry.IsAttestation ? new Dictionary<string, string>() : annotations.For(AnnotationLevel.Manifest, entry.Label);
            if (wanted.Count == 0)
            {
                manifests[entry] = entry.ManifestBytes;
                continue;
            }

            byte[] bytes = ImageRewriter.AnnotateManifest(await copier.ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false), wanted);
            manifests[entry] = bytes;
            renamed[entry.Manifest.Digest.ToString()] = Digest.Sha256(bytes).ToString();
        }

        var images = new List<PlatformImage>();
        foreach (MergeEntry entry in kept.Concat(entries))
        {
            Descriptor descriptor = entry.Manifest;
            if (manifests.GetValueOrDefault(entry) is { } bytes)
            {
                descriptor = descriptor with { Digest = Digest.Sha256(bytes), Size = bytes.LongLength };
            }

            if (entry.IsAttestation && entry.AttestedDigest is { } attested && renamed.TryGetValue(attested, out string? newDigest))
            {
                descriptor = descriptor with
                {
                    Annotations = new Dictionary<string, string>(descriptor.Annotations!, StringComparer.Ordinal) { [Descriptor.ReferenceDigestKey] = newDigest },
                };
            }

            images.Add(new PlatformImage(entry.Label, descriptor));
        }

        return (manifests, images);
    }
}
