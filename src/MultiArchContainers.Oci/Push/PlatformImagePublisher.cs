using MultiArchContainers.Oci.Collect.Attest;
using MultiArchContainers.Oci.Collect;
using MultiArchContainers.Oci.Collect.Incremental;
using MultiArchContainers.Oci.Layout;
using MultiArchContainers.Oci.Plan;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>
/// The per-RID path of a publish after its builds: each archive the .NET SDK wrote is collected (made reproducible,
/// annotated, attested, <see cref="PlatformImageCollector"/>) and then either pushed by digest, with its push recorded
/// in the image cache, or kept for an archive. An archive whose last push made manifests the repository still holds is
/// confirmed with a HEAD each and not unpacked again (<see cref="PushRecord"/>).
/// </summary>
internal sealed class PlatformImagePublisher(PublishPlan plan, CollectOptions options, AttestationRequest? attestation, Action<Diagnostic> report)
{
    /// <summary>Where the archives are unpacked.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The base image's registry clients (pull credentials): its layers are read so they stay as they are.</summary>
    public required Func<string, IRegistryClient> BaseClients { get; init; }

    /// <summary>The task that collects, for the message about an archive without a RID.</summary>
    public required string Consumer { get; init; }

    /// <summary>The image cache (one folder per RID) where pushes are recorded; empty: nothing is recorded.</summary>
    public string CacheRoot { get; init; } = string.Empty;

    /// <summary>Collects every archive and pushes it to <paramref name="repository"/> of <paramref name="registry"/> (<paramref name="client"/>).</summary>
    public async Task<IReadOnlyList<PreparedPlatformImage>> PushAsync(
        IRegistryClient client, string registry, string repository, IReadOnlyList<string> mountFrom, IReadOnlyList<PlatformArchive> archives,
        Action<string> log, CancellationToken cancellationToken)
    {
        var pusher = new ImagePusher(client, log);
        var prepared = new PreparedPlatformImage?[archives.Count];
        string?[] keys = archives.Select(a => CacheRoot.Length == 0 ? null : PushRecord.KeyFor(a.RuntimeIdentifier, a.Path, registry, repository, options, attestation)).ToArray();
        for (int i = 0; i < archives.Count; i++)
        {
            if (keys[i] is { } key && PushRecord.Read(RecordFolder(archives[i]), key) is { } record
                && await pusher.ConfirmAsync(archives[i].RuntimeIdentifier, record, repository, cancellationToken).ConfigureAwait(false) is { } confirmed)
            {
                prepared[i] = new PreparedPlatformImage(confirmed.Image, confirmed.Attestation);
            }
        }

        // A kept image is unpacked where it is kept: an image's file there is never replaced (ImageStore).
        int[] remaining = Enumerable.Range(0, archives.Count).Where(i => prepared[i] is null).ToArray();
        List<(string Rid, OciLayoutImage Image)>? layouts = await CollectAsync(remaining.Select(i => archives[i]), cancellationToken).ConfigureAwait(false);
        if (layouts is null)
        {
            return [];
        }

        PreparedPlatformImage[] made = await Task.WhenAll(layouts.Select(async (l, n) =>
        {
            Attestation? statement = attestation?.Attest(l.Image, l.Rid);
            PlatformImage image = await pusher.PushAsync(l.Rid, l.Image, repository, mountFrom, cancellationToken).ConfigureAwait(false);
            PlatformImage? attested = statement is null ? null
                : await pusher.PushAttestationAsync(l.Rid, l.Image.Root, statement, repository, cancellationToken).ConfigureAwait(false);
            if (keys[remaining[n]] is { } key)
            {
                new PushRecord(key, image.Manifest, attested?.Manifest).Write(RecordFolder(archives[remaining[n]]));
            }

            return new PreparedPlatformImage(image, attested);
        })).ConfigureAwait(false);
        for (int n = 0; n < remaining.Length; n++)
        {
            prepared[remaining[n]] = made[n];
        }

        return prepared.Select(p => p!).ToList();
    }

    /// <summary>
    /// Collects every archive and keeps it in its layout folder for an OCI archive; with <paramref name="transferArchivePath"/>
    /// (one image: a build node's answer) also writes the image as an OCI archive there.
    /// </summary>
    public async Task<IReadOnlyList<PreparedPlatformImage>> KeepAsync(IReadOnlyList<PlatformArchive> archives, string transferArchivePath, CancellationToken cancellationToken)
    {
        List<(string Rid, OciLayoutImage Image)>? layouts = await CollectAsync(archives, cancellationToken).ConfigureAwait(false);
        if (layouts is null)
        {
            return [];
        }

        var kept = new List<PreparedPlatformImage>();
        foreach ((string rid, OciLayoutImage image) in layouts)
        {
            Attestation? statement = attestation?.Attest(image, rid);
            image.WriteBlob(image.ManifestBytes);
            if (transferArchivePath.Length > 0)
            {
                OciArchiveWriter.WriteImage(transferArchivePath, image, statement?.Blobs.Append(statement.Manifest));
            }

            kept.Add(new PreparedPlatformImage(
                new PlatformImage(rid, image.ManifestDescriptor),
                statement is null ? null : new PlatformImage(AttestationRequest.LabelFor(rid), statement.Descriptor),
                image.Root));
        }

        return kept;
    }

    /// <summary>Null when an archive could not be collected (reported).</summary>
    private async Task<List<(string Rid, OciLayoutImage Image)>?> CollectAsync(IEnumerable<PlatformArchive> archives, CancellationToken cancellationToken)
    {
        List<PlatformArchive> list = archives.ToList();
        CollectOptions withBase = await WithBaseLayersAsync(list.Select(a => a.RuntimeIdentifier), cancellationToken).ConfigureAwait(false);
        bool failed = false;
        List<(string Rid, OciLayoutImage Image)> layouts = PlatformImageCollector.CollectAll(
            list.Select(a => (a.RuntimeIdentifier, a.Path)), WorkingDirectory, withBase, Consumer, d =>
            {
                failed |= d.Severity == DiagnosticSeverity.Error;
                report(d);
            });
        return failed ? null : layouts;
    }

    /// <summary>The base image's layers of each RID, when the images are made reproducible (they stay as they are).</summary>
    private async Task<CollectOptions> WithBaseLayersAsync(IEnumerable<string> rids, CancellationToken cancellationToken)
    {
        if (options.Epoch is null)
        {
            return options;
        }

        var layers = new Dictionary<string, IReadOnlySet<Digest>>(StringComparer.Ordinal);
        foreach (string rid in rids.Distinct(StringComparer.Ordinal))
        {
            PlannedPlatform? planned = plan.Platforms.FirstOrDefault(p => p.RuntimeIdentifier == rid);
            layers[rid] = await BaseLayers.ReadAsync(BaseClients, options.BaseImage, planned?.BaseManifest, planned?.Platform ?? RuntimeIdentifierPlatforms.TryGetPlatform(rid), cancellationToken).ConfigureAwait(false);
        }

        return options with { BaseLayers = layers };
    }

    private string RecordFolder(PlatformArchive archive) => Path.Combine(CacheRoot, archive.RuntimeIdentifier);
}
