using System.Text.Encodings.Web;

namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>
/// The SLSA provenance v1 predicate of one platform image, from MSBuild facts: the builder (this package and its
/// version, with the .NET SDK's), the project, configuration and RID, and the resolved dependencies (the git commit,
/// the base image and each NuGet package). Its times are the publish's, so it is as reproducible as the image.
/// </summary>
internal static class SlsaProvenance
{
    public const string PredicateType = "https://slsa.dev/provenance/v1";

    /// <summary>What the build type means is documented in docs/supply-chain.md.</summary>
    public const string BuildType = "urn:multiarchcontainers:dotnet-publish:v1";

    public static byte[] Create(BuildFacts facts)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("buildDefinition");
            json.WriteString("buildType", BuildType);
            json.WriteStartObject("externalParameters");
            json.WriteString("project", facts.ProjectPath);
            json.WriteString("configuration", facts.Configuration);
            json.WriteString("targetFramework", facts.TargetFramework);
            json.WriteString("runtimeIdentifier", facts.RuntimeIdentifier);
            json.WriteString("platform", facts.Platform.ToString());
            json.WriteString("image", facts.ImageName);
            json.WriteEndObject();
            json.WriteStartObject("internalParameters");
            json.WriteString("dotnetSdkVersion", facts.SdkVersion);
            json.WriteEndObject();
            json.WriteStartArray("resolvedDependencies");
            if (facts.SourceCommit.Length > 0)
            {
                Dependency(json, facts.SourceRepository.Length > 0 ? $"git+{facts.SourceRepository}@{facts.SourceCommit}" : $"git+commit:{facts.SourceCommit}", "gitCommit", facts.SourceCommit);
            }

            if (facts.BaseImage.Length > 0 && facts.BaseDigest is { } digest)
            {
                Dependency(json, $"oci://{facts.BaseImage}", digest.Algorithm, digest.Encoded);
            }

            foreach (NuGetPackage package in facts.Packages)
            {
                Dependency(json, package.Purl, package.Sha512.Length > 0 ? "sha512" : null, package.Sha512);
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("runDetails");
            json.WriteStartObject("builder");
            json.WriteString("id", $"pkg:nuget/MultiArchContainers.Sdk@{facts.ToolVersion}");
            json.WriteStartObject("version");
            json.WriteString("MultiArchContainers.Sdk", facts.ToolVersion);
            json.WriteString("Microsoft.NET.Sdk", facts.SdkVersion);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("metadata");
            json.WriteString("startedOn", Timestamps.Format(facts.Time));
            json.WriteString("finishedOn", Timestamps.Format(facts.Time));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Dependency(Utf8JsonWriter json, string uri, string? algorithm, string value)
    {
        json.WriteStartObject();
        json.WriteString("uri", uri);
        if (algorithm is not null)
        {
            json.WriteStartObject("digest");
            json.WriteString(algorithm, value);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
