using System.Text.Encodings.Web;

namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// The attestation manifest of one image, in the layout buildx and docker read: an image manifest whose layers are
/// in-toto Statement v1 documents (<c>application/vnd.in-toto+json</c>, each annotated with its predicate type) about
/// the image manifest, listed in the index as platform <c>unknown/unknown</c> with the
/// <c>vnd.docker.reference.type=attestation-manifest</c> and <c>vnd.docker.reference.digest</c> annotations.
/// </summary>
internal sealed record Attestation(byte[] Config, IReadOnlyList<byte[]> Statements, byte[] Manifest, Descriptor Descriptor)
{
    public const string StatementMediaType = "application/vnd.in-toto+json";
    public const string PredicateTypeKey = "in-toto.io/predicate-type";
    public const string ReferenceTypeKey = "vnd.docker.reference.type";
    public const string ReferenceTypeValue = "attestation-manifest";

    /// <summary>Every blob besides the manifest: the config and the statements.</summary>
    public IEnumerable<byte[]> Blobs => Statements.Prepend(Config);

    /// <summary>The artifactType of an attestation manifest written as an OCI 1.1 artifact.</summary>
    public const string ArtifactType = "application/vnd.docker.attestation.manifest.v1+json";

    /// <summary>
    /// The attestation of <paramref name="image"/> (its manifest descriptor) named <paramref name="subjectName"/>,
    /// holding one statement per predicate, in the order given. With <paramref name="artifact"/>, the manifest is also an
    /// OCI 1.1 artifact, as BuildKit writes it with <c>oci-artifact=true</c>: <c>artifactType</c>, an empty config and
    /// <c>subject</c> = the image, so the registry's referrers API finds it; its index entry stays the same.
    /// </summary>
    public static Attestation Create(Descriptor image, string subjectName, IReadOnlyList<(string PredicateType, byte[] Predicate)> predicates, bool artifact = false)
    {
        List<byte[]> statements = predicates.Select(p => Statement(image.Digest, subjectName, p.PredicateType, p.Predicate)).ToList();
        string diffIds = string.Join(',', statements.Select(s => $"\"{Digest.Sha256(s)}\""));
        byte[] config = artifact ? "{}"u8.ToArray()
            : Encoding.UTF8.GetBytes($"{{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}");
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = artifact ? ArtifactType : null,
            Subject = artifact ? new Descriptor { MediaType = image.MediaType, Digest = image.Digest, Size = image.Size } : null,
            Config = Descriptor.For(artifact ? MediaTypes.OciEmpty : MediaTypes.OciConfig, config),
            Layers = statements.Select((s, i) => Descriptor.For(StatementMediaType, s) with
            {
                Annotations = new Dictionary<string, string> { [PredicateTypeKey] = predicates[i].PredicateType },
            }).ToList(),
        });
        Descriptor descriptor = Descriptor.For(MediaTypes.OciManifest, manifest) with
        {
            Platform = new Platform { Os = "unknown", Architecture = "unknown" },
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [Descriptor.ReferenceDigestKey] = image.Digest.ToString(),
                [ReferenceTypeKey] = ReferenceTypeValue,
            },
        };
        return new Attestation(config, statements, manifest, descriptor);
    }

    /// <summary>An in-toto Statement v1 about the manifest with <paramref name="digest"/>; the predicate is embedded as it is.</summary>
    public static byte[] Statement(Digest digest, string subjectName, string predicateType, byte[] predicate)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("_type", "https://in-toto.io/Statement/v1");
            json.WriteStartArray("subject");
            json.WriteStartObject();
            json.WriteString("name", subjectName);
            json.WriteStartObject("digest");
            json.WriteString(digest.Algorithm, digest.Encoded);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("predicateType", predicateType);
            json.WritePropertyName("predicate");
            json.WriteRawValue(predicate);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
