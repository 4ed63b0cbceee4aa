using MultiArchContainers.Oci.Layout;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// The Collect stage for images built here: opens the OCI layout archive the .NET SDK wrote for one RID (as
/// untrusted input), makes it reproducible when asked, and writes the manifest annotations into it.
/// </summary>
internal static class PlatformImageCollector
{
    public const string BaseNameKey = "org.opencontainers.image.base.name";
    public const string BaseDigestKey = "org.opencontainers.image.base.digest";

    /// <summary>
    /// Every (RID, archive) pair collected below <paramref name="workingDirectory"/>/&lt;rid&gt;/layout. Each one is looked
    /// at, so one run reports every problem; a pair without a RID is MAC4004 naming <paramref name="consumer"/>.
    /// </summary>
    public static List<(string Rid, OciLayoutImage Image)> CollectAll(IEnumerable<(string Rid, string Archive)> archives, string workingDirectory, CollectOptions options, string consumer, Action<Diagnostic> report)
    {
        var layouts = new List<(string Rid, OciLayoutImage Image)>();
        foreach ((string rid, string archive) in archives)
        {
            try
            {
                layouts.Add(rid.Length == 0
                    ? throw new MultiArchException(MessageIds.ImageWithoutRuntimeIdentifier, archive, consumer)
                    : (rid, Collect(rid, archive, Path.Combine(workingDirectory, rid, "layout"), options)));
            }
            catch (MultiArchException ex)
            {
                report(ex.Diagnostic);
            }
        }

        return layouts;
    }

    /// <summary>The image of <paramref name="archivePath"/>, unpacked below <paramref name="folder"/>, rewritten and annotated.</summary>
    public static OciLayoutImage Collect(string rid, string archivePath, string folder, CollectOptions options)
    {
        if (!File.Exists(archivePath))
        {
            throw new MultiArchException(MessageIds.ArchiveMissing, rid, archivePath);
        }

        OciLayoutImage image = OciLayoutImage.ExtractAndOpen(archivePath, folder);
        if (options.Epoch is { } epoch)
        {
            IReadOnlySet<Digest> baseLayers = options.BaseLayers.GetValueOrDefault(rid)
                ?? throw new MultiArchException(MessageIds.ImageReproducibilityFailed, archivePath, "the base image's layers are not known");
            image = ImageRewriter.Normalize(image, epoch, baseLayers);
        }

        image = ImageRewriter.WithOsVersion(image, options.BaseOsVersions.GetValueOrDefault(rid));

        return ImageRewriter.Annotate(image, ManifestAnnotations(rid, image, options));
    }

    /// <summary>The declared manifest annotations of <paramref name="rid"/>, plus the generated base ones where asked (declared win).</summary>
    public static SortedDictionary<string, string> ManifestAnnotations(string rid, OciLayoutImage image, CollectOptions options)
    {
        var annotations = new SortedDictionary<string, string>(
            options.ManifestAnnotations.GetValueOrDefault(rid)?.ToDictionary() ?? [], StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        string? baseName = labels.GetValueOrDefault(BaseNameKey) is { Length: > 0 } label ? label : options.BaseImage.Length > 0 ? options.BaseImage : null;
        if (options.GenerateBaseName && baseName is not null)
        {
            annotations.TryAdd(BaseNameKey, baseName);
        }

        if (options.GenerateBaseDigest && labels.GetValueOrDefault(BaseDigestKey) is { Length: > 0 } baseDigest)
        {
            annotations.TryAdd(BaseDigestKey, baseDigest);
        }

        return annotations;
    }
}
