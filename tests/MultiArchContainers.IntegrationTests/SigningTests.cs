namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// ContainerSigningKey: every platform manifest and the index get a cosign key-based signature in the registry. The
/// signatures are checked with openssl (an ECDSA verifier this project did not write) against the public key, the
/// payloads read as the containers-signature format says, a second publish adds no duplicate, and bad keys are coded
/// errors that show neither key nor password. (skopeo's and podman's sigstoreSigned policies cannot be used on this
/// machine: Debian 12 builds them with sigstore disabled.)
/// </summary>
[Collection(PublishCollection.Name)]
public class SigningTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static async Task OpensslAsync(string folder, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("openssl", arguments, folder, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Combined);
    }

    [Fact]
    public async Task EveryManifestAndTheIndexAreSignedOnceAndOpensslVerifiesEachSignature()
    {
        string repository = "team/signed-" + Guid.NewGuid().ToString("N")[..6];
        string keys = Directory.CreateTempSubdirectory("mac-keys-").FullName;
        using var sandbox = fixture.SandboxWith(
            $"""
            {fixture.Publishing(repository)}
            <ContainerSigningKey>{keys}/key.pem</ContainerSigningKey>
            """);
        try
        {
            await OpensslAsync(keys, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pass", "pass:s3cret-pass", "-aes-256-cbc", "-out", "key.pem");
            await OpensslAsync(keys, "pkey", "-in", "key.pem", "-passin", "pass:s3cret-pass", "-pubout", "-out", "pub.pem");
            sandbox.Environment["CONTAINER_SIGNING_KEY_PASSWORD"] = "s3cret-pass";
            sandbox.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

            ProcessResult first = await sandbox.PublishAsync();
            output.WriteLine(first.Combined);
            Assert.True(first.ExitCode == 0, first.Combined);
            Assert.DoesNotContain("s3cret-pass", first.Combined, StringComparison.Ordinal);
            ProcessResult again = await sandbox.PublishAsync();
            Assert.True(again.ExitCode == 0, again.Combined);

            string reference = $"{fixture.Registry.Address}/{repository}";
            string raw = await Skopeo.InspectRawAsync($"{reference}:1.0");
            JsonNode index = JsonNode.Parse(raw)!;
            string indexDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
            string[] digests = [.. index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()), indexDigest];
            IReadOnlyList<string> tags = await Skopeo.ListTagsAsync(reference);
            Assert.Equal(digests.Select(d => d.Replace(':', '-') + ".sig").Order(StringComparer.Ordinal), tags.Where(t => t.EndsWith(".sig", StringComparison.Ordinal)));

            foreach (string digest in digests)
            {
                JsonNode signature = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:{digest.Replace(':', '-')}.sig"))!;
                JsonNode layer = Assert.Single(signature["layers"]!.AsArray())!; // two publishes, one signature
                Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", layer["mediaType"]!.GetValue<string>());
                string folder = Path.Combine(keys, digest.Replace(':', '-'));
                await Skopeo.CopyToLayoutAsync($"{reference}:{digest.Replace(':', '-')}.sig", folder, "sig");
                string payloadPath = Path.Combine(folder, "blobs", "sha256", layer["digest"]!.GetValue<string>()["sha256:".Length..]);
                JsonNode payload = JsonNode.Parse(File.ReadAllText(payloadPath))!;
                Assert.Equal("cosign container image signature", payload["critical"]!["type"]!.GetValue<string>());
                Assert.Equal(digest, payload["critical"]!["image"]!["docker-manifest-digest"]!.GetValue<string>());
                Assert.Equal(reference, payload["critical"]!["identity"]!["docker-reference"]!.GetValue<string>());
                File.WriteAllBytes(Path.Combine(folder, "signature.der"), Convert.FromBase64String(layer["annotations"]!["dev.cosignproject.cosign/signature"]!.GetValue<string>()));
                await OpensslAsync(keys, "dgst", "-sha256", "-verify", "pub.pem", "-signature", Path.Combine(folder, "signature.der"), payloadPath);

                // The Sigstore bundle: one referrer (the registry has no referrers API, so the fallback tag lists it),
                // which @sigstore/verify checks against the manifest's bytes and the public key.
                JsonNode referrers = JsonNode.Parse(await Skopeo.InspectRawAsync($"{reference}:{digest.Replace(':', '-')}"))!;
                JsonNode entry = Assert.Single(referrers["manifests"]!.AsArray())!;
                Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", entry["artifactType"]!.GetValue<string>());
                string artifactFolder = Path.Combine(folder, "bundle");
                await Skopeo.CopyToLayoutAsync($"{reference}@{entry["digest"]!.GetValue<string>()}", artifactFolder, "bundle");
                JsonNode artifact = JsonNode.Parse(File.ReadAllText(Path.Combine(artifactFolder, "blobs", "sha256", entry["digest"]!.GetValue<string>()["sha256:".Length..])))!;
                Assert.Equal(digest, artifact["subject"]!["digest"]!.GetValue<string>());
                string bundle = Path.Combine(artifactFolder, "blobs", "sha256", artifact["layers"]![0]!["digest"]!.GetValue<string>()["sha256:".Length..]);
                string subject = Path.Combine(folder, "subject.json");
                File.WriteAllText(subject, await Skopeo.InspectRawAsync($"{reference}@{digest}"));
                await NodeCheck.VerifyBundleAsync(bundle, subject, Path.Combine(keys, "pub.pem"), expected: true);
                File.AppendAllText(subject, " ");
                await NodeCheck.VerifyBundleAsync(bundle, subject, Path.Combine(keys, "pub.pem"), expected: false);
            }
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Theory]
    [InlineData("rsa", "is not an ECDSA private key")]
    [InlineData("secp384r1", "only ECDSA P-256")]
    [InlineData("wrong-password", "could not be decrypted")]
    [InlineData("no-password", "CONTAINER_SIGNING_KEY_PASSWORD is not set")]
    [InlineData("missing", "cannot be read")]
    public async Task AKeyThatCannotSignIsMac2031BeforeAnyBuild(string kind, string reason)
    {
        using var sandbox = fixture.SandboxWith(
            $"""
            <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>
            <ContainerRepository>team/badkey</ContainerRepository>
            <ContainerSigningKey>signing/key.pem</ContainerSigningKey>
            """);
        string keys = Path.Combine(sandbox.Folder, "signing");
        Directory.CreateDirectory(keys);
        switch (kind)
        {
            case "rsa":
                await OpensslAsync(keys, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
                break;
            case "secp384r1":
                await OpensslAsync(keys, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "key.pem");
                break;
            case "wrong-password" or "no-password":
                await OpensslAsync(keys, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pass", "pass:right-one", "-aes-256-cbc", "-out", "key.pem");
                if (kind == "wrong-password")
                {
                    sandbox.Environment["CONTAINER_SIGNING_KEY_PASSWORD"] = "not-the-right-one";
                }

                break;
        }

        ProcessResult result = await sandbox.PublishAsync();
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC2031", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(reason, result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("-----BEGIN", result.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain("right-one", result.Combined, StringComparison.Ordinal);
    }
}
