namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// ContainerAttestationArtifact=true: each attestation manifest is also an OCI 1.1 artifact, as BuildKit writes it with
/// oci-artifact=true (artifactType, empty config, subject = the image), found among the image's referrers (the
/// fallback tag here, where the registry has no referrers API), while the index keeps the entries older readers find;
/// switching it on after a publish in the other form gives the new form, never the record of the old one.
/// </summary>
[Collection(PublishCollection.Name)]
public class AttestationArtifactTests(PublishFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task AttestationsAreArtifactsWithASubjectAndKeepTheirIndexEntries()
    {
        string repository = "team/attest-artifact";
        using var sandbox = fixture.SandboxWith(
            $"""
            {fixture.Publishing(repository)}
            <ContainerProvenance>true</ContainerProvenance>
            """);

        // First in the image-manifest form; then, with nothing else changed, the artifact form: the switch is part of
        // what the push record is kept under, so the images built before are reused but their attestations are made again.
        sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        ProcessResult before = await sandbox.PublishAsync();
        Assert.True(before.ExitCode == 0, before.Combined);
        ProcessResult result = await sandbox.PublishAsync("-p:ContainerAttestationArtifact=true");
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);

        string reference = $"{fixture.Registry.Address}/{repository}";
        JsonNode[] entries = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:1.0"))!["manifests"]!.AsArray().Select(e => e!).ToArray();
        JsonNode[] images = entries.Where(e => e["platform"]!["os"]!.GetValue<string>() == "linux").ToArray();
        JsonNode[] attestations = entries.Where(e => e["platform"]!["os"]!.GetValue<string>() == "unknown").ToArray();
        Assert.Equal(2, images.Length);
        Assert.Equal(2, attestations.Length);
        foreach (JsonNode image in images)
        {
            string digest = image["digest"]!.GetValue<string>();
            JsonNode entry = attestations.Single(a => a["annotations"]!["vnd.docker.reference.digest"]!.GetValue<string>() == digest);
            Assert.Equal("attestation-manifest", entry["annotations"]!["vnd.docker.reference.type"]!.GetValue<string>());
            JsonNode manifest = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}@{entry["digest"]}"))!;
            Assert.Equal("application/vnd.docker.attestation.manifest.v1+json", manifest["artifactType"]!.GetValue<string>());
            Assert.Equal("application/vnd.oci.empty.v1+json", manifest["config"]!["mediaType"]!.GetValue<string>());
            Assert.Equal(digest, manifest["subject"]!["digest"]!.GetValue<string>());
            Assert.Equal("https://slsa.dev/provenance/v1", manifest["layers"]![0]!["annotations"]!["in-toto.io/predicate-type"]!.GetValue<string>());
            JsonNode referrers = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:{digest.Replace(':', '-')}"))!;
            Assert.Contains(referrers["manifests"]!.AsArray(), r => r!["digest"]!.GetValue<string>() == entry["digest"]!.GetValue<string>());
        }
    }
}
