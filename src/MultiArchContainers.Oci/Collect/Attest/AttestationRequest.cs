namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// What to attest for every image of a publish (ContainerSbom, ContainerProvenance) and the facts they share;
/// <see cref="BuildFacts.RuntimeIdentifier"/> and <see cref="BuildFacts.Platform"/> of <see cref="Facts"/> are
/// replaced per image.
/// </summary>
internal sealed record AttestationRequest(bool Sbom, bool Provenance, BuildFacts Facts)
{
    /// <summary>NuGet's assets file of the build, for the packages of each RID.</summary>
    public string AssetsPath { get; init; } = string.Empty;

    /// <summary>The assets file, read for the first image and asked for every other.</summary>
    private AssetsFile? _assets;

    /// <summary>Self-contained apps carry the runtime packs, which the SBOM lists too.</summary>
    public bool SelfContained { get; init; }

    /// <summary>Write each attestation manifest as an OCI 1.1 artifact too (<see cref="Attestation.Create"/>).</summary>
    public bool Artifact { get; init; }

    /// <summary>
    /// Makes the attestation of <paramref name="image"/> (its final manifest) built for <paramref name="runtimeIdentifier"/>,
    /// and writes its blobs (manifest included) into the image's layout, beside the image's own.
    /// </summary>
    public Attestation Attest(Layout.OciLayoutImage image, string runtimeIdentifier)
    {
        IReadOnlyDictionary<string, string> labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        BuildFacts facts = Facts with
        {
            RuntimeIdentifier = runtimeIdentifier,
            Platform = image.ManifestDescriptor.Platform!,
            Packages = AssetsPath.Length > 0 ? (_assets ??= AssetsFile.Load(AssetsPath)).Packages(Facts.TargetFramework, runtimeIdentifier, SelfContained) : [],
            Files = Sbom ? ApplicationFiles.Read(image) : [],
            BaseImage = labels.GetValueOrDefault(Collect.PlatformImageCollector.BaseNameKey) is { Length: > 0 } name ? name : Facts.BaseImage,
            BaseDigest = Digest.TryParse(labels.GetValueOrDefault(Collect.PlatformImageCollector.BaseDigestKey), out Digest digest) ? digest : Facts.BaseDigest,
        };
        var predicates = new List<(string, byte[])>();
        if (Sbom)
        {
            predicates.Add((SpdxDocument.PredicateType, SpdxDocument.Create(facts)));
        }

        if (Provenance)
        {
            predicates.Add((SlsaProvenance.PredicateType, SlsaProvenance.Create(facts)));
        }

        string subject = $"pkg:docker/{facts.ImageName}?platform={Uri.EscapeDataString(facts.Platform.ToString())}";
        Attestation attestation = Attestation.Create(image.ManifestDescriptor, subject, predicates, Artifact);
        foreach (byte[] blob in attestation.Blobs.Append(attestation.Manifest))
        {
            image.WriteBlob(blob);
        }

        return attestation;
    }

    /// <summary>The label of an image's attestation among the images of a publish.</summary>
    public static string LabelFor(string runtimeIdentifier) => runtimeIdentifier + "/attestation";
}
