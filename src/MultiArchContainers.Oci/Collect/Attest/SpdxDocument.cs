using System.Text.Encodings.Web;

namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// The SPDX 2.3 JSON SBOM of one platform image: the image, the application in it with every file (SHA-256 and
/// SHA-1), each NuGet package of the RID's resolved graph (purl and SHA-512), the runtime packs of a self-contained
/// app, and the base image as a dependency. Identical facts give identical bytes: the document namespace is derived
/// from the content and the time is the publish's.
/// </summary>
internal static class SpdxDocument
{
    public const string PredicateType = "https://spdx.dev/Document";

    public static byte[] Create(BuildFacts facts)
    {
        // The namespace must be unique per document: a name-based UUID of everything else in it.
        byte[] draft = Write(facts, "urn:uuid:00000000-0000-0000-0000-000000000000");
        return Write(facts, "urn:uuid:" + NameBasedUuid(draft));
    }

    private static byte[] Write(BuildFacts facts, string documentNamespace)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("spdxVersion", "SPDX-2.3");
            json.WriteString("dataLicense", "CC0-1.0");
            json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
            json.WriteString("name", $"{facts.ImageName} {facts.Platform}");
            json.WriteString("documentNamespace", documentNamespace);
            json.WriteStartObject("creationInfo");
            json.WriteString("created", Timestamps.Format(facts.Time));
            json.WriteStartArray("creators");
            json.WriteStringValue($"Tool: MultiArchContainers.Sdk-{facts.ToolVersion}");
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartArray("packages");
            Package(json, "SPDXRef-Image", facts.ImageName, null, "CONTAINER", $"pkg:oci/{Uri.EscapeDataString(Last(facts.ImageName))}?arch={facts.Platform.Architecture}&os={facts.Platform.Os}&repository_url={Uri.EscapeDataString(facts.ImageName)}", null);
            Package(json, "SPDXRef-Application", facts.ApplicationName.Length > 0 ? facts.ApplicationName : facts.ImageName, facts.ApplicationVersion, "APPLICATION", null, null);
            for (int i = 0; i < facts.Packages.Count; i++)
            {
                NuGetPackage package = facts.Packages[i];
                Package(json, $"SPDXRef-NuGet-{i + 1}", package.Id, package.Version, package.Id.Contains(".Runtime.", StringComparison.Ordinal) ? "FRAMEWORK" : "LIBRARY", package.Purl,
                    package.Sha512.Length > 0 ? ("SHA512", package.Sha512) : null);
            }

            if (facts.BaseImage.Length > 0)
            {
                Package(json, "SPDXRef-BaseImage", facts.BaseImage, facts.BaseDigest?.ToString(), "CONTAINER",
                    facts.BaseDigest is { } digest ? $"pkg:oci/{Uri.EscapeDataString(Last(NameOf(facts.BaseImage)))}@{Uri.EscapeDataString(digest.ToString())}?repository_url={Uri.EscapeDataString(NameOf(facts.BaseImage))}" : null,
                    facts.BaseDigest is { Algorithm: "sha256" } sha ? ("SHA256", sha.Encoded) : null);
            }

            json.WriteEndArray();

            json.WriteStartArray("files");
            for (int i = 0; i < facts.Files.Count; i++)
            {
                ApplicationFile file = facts.Files[i];
                json.WriteStartObject();
                json.WriteString("SPDXID", $"SPDXRef-File-{i + 1}");
                json.WriteString("fileName", file.Path);
                json.WriteStartArray("checksums");
                Checksum(json, "SHA1", file.Sha1);
                Checksum(json, "SHA256", file.Sha256);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("relationships");
            Relationship(json, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image");
            Relationship(json, "SPDXRef-Image", "CONTAINS", "SPDXRef-Application");
            for (int i = 0; i < facts.Files.Count; i++)
            {
                Relationship(json, "SPDXRef-Application", "CONTAINS", $"SPDXRef-File-{i + 1}");
            }

            for (int i = 0; i < facts.Packages.Count; i++)
            {
                Relationship(json, "SPDXRef-Application", "DEPENDS_ON", $"SPDXRef-NuGet-{i + 1}");
            }

            if (facts.BaseImage.Length > 0)
            {
                Relationship(json, "SPDXRef-Image", "DEPENDS_ON", "SPDXRef-BaseImage");
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Package(Utf8JsonWriter json, string id, string name, string? version, string purpose, string? purl, (string Algorithm, string Value)? checksum)
    {
        json.WriteStartObject();
        json.WriteString("SPDXID", id);
        json.WriteString("name", name);
        if (!string.IsNullOrEmpty(version))
        {
            json.WriteString("versionInfo", version);
        }

        json.WriteString("downloadLocation", "NOASSERTION");
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("primaryPackagePurpose", purpose);
        if (checksum is { } sum)
        {
            json.WriteStartArray("checksums");
            Checksum(json, sum.Algorithm, sum.Value);
            json.WriteEndArray();
        }

        if (purl is not null)
        {
            json.WriteStartArray("externalRefs");
            json.WriteStartObject();
            json.WriteString("referenceCategory", "PACKAGE-MANAGER");
            json.WriteString("referenceType", "purl");
            json.WriteString("referenceLocator", purl);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void Checksum(Utf8JsonWriter json, string algorithm, string value)
    {
        json.WriteStartObject();
        json.WriteString("algorithm", algorithm);
        json.WriteString("checksumValue", value);
        json.WriteEndObject();
    }

    private static void Relationship(Utf8JsonWriter json, string from, string type, string to)
    {
        json.WriteStartObject();
        json.WriteString("spdxElementId", from);
        json.WriteString("relationshipType", type);
        json.WriteString("relatedSpdxElement", to);
        json.WriteEndObject();
    }

    /// <summary>The reference without tag or digest.</summary>
    private static string NameOf(string reference) =>
        ImageReference.TryParse(reference, out _) is { } parsed ? (parsed.Registry.Length > 0 ? $"{parsed.Registry}/{parsed.Repository}" : parsed.Repository) : reference;

    private static string Last(string name) => name[(name.LastIndexOf('/') + 1)..];

    /// <summary>A version 5 style UUID from the SHA-256 of <paramref name="content"/>.</summary>
    private static string NameBasedUuid(byte[] content)
    {
        byte[] hash = SHA256.HashData(content)[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexStringLower(hash);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
