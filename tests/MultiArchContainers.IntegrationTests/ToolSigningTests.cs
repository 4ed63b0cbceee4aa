namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// multiarch merge --sign-key signs every merged image and the index in the target repository; multiarch verify --key
/// says what is signed and exits 0 only when all are: a merge into another repository stays verifiable, an unsigned
/// index, a wrong key and a tampered signature are refused, and two signings leave one signature each.
/// </summary>
public class ToolSigningTests(ToolFixture fixture, ITestOutputHelper output) : IClassFixture<ToolFixture>
{
    private string Registry => fixture.Registry.Address;

    private Task<ProcessResult> RunAsync(params string[] arguments) => fixture.RunAsync(output, null, arguments);

    private async Task<(string Key, string Public)> KeyAsync(string name)
    {
        string key = Path.Combine(fixture.Root, name + ".pem");
        string pub = Path.Combine(fixture.Root, name + ".pub");
        Assert.Equal(0, (await ProcessRunner.RunAsync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])).ExitCode);
        Assert.Equal(0, (await ProcessRunner.RunAsync("openssl", ["pkey", "-in", key, "-pubout", "-out", pub])).ExitCode);
        return (key, pub);
    }

    [Fact]
    public async Task AMergeSignsWhatItPushesAndVerifyChecksIndexAndEveryImage()
    {
        (string key, string pub) = await KeyAsync("team");
        (_, string otherPub) = await KeyAsync("other");
        string[] sources = [.. fixture.Sources.Take(2)];

        ProcessResult merged = await RunAsync(["merge", "-t", $"{Registry}/signed/app:1.0", "--sign-key", key, .. sources]);
        Assert.True(merged.ExitCode == 0, merged.Combined);
        ProcessResult again = await RunAsync(["merge", "-t", $"{Registry}/signed/app:1.0", "--sign-key", key, .. sources]);
        Assert.True(again.ExitCode == 0, again.Combined);

        ProcessResult verified = await RunAsync("verify", "--key", pub, $"{Registry}/signed/app:1.0");
        Assert.True(verified.ExitCode == 0, verified.Combined);
        string[] lines = verified.StandardOutput.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("signed", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("index", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("linux/arm64/v8", StringComparison.Ordinal));

        // Two signings: one signature layer per signed manifest, three signature tags.
        IReadOnlyList<string> sigTags = [.. (await Skopeo.ListTagsAsync($"{Registry}/signed/app")).Where(t => t.EndsWith(".sig", StringComparison.Ordinal))];
        Assert.Equal(3, sigTags.Count);
        foreach (string tag in sigTags)
        {
            Assert.Single(JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/signed/app:{tag}"))!["layers"]!.AsArray());
        }

        ProcessResult wrongKey = await RunAsync("verify", "--key", otherPub, $"{Registry}/signed/app:1.0");
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("error MAC2032", wrongKey.StandardError, StringComparison.Ordinal);
        Assert.All(wrongKey.StandardOutput.Trim().Split('\n'), l => Assert.StartsWith("UNSIGNED", l, StringComparison.Ordinal));

        ProcessResult unsigned = await RunAsync(["merge", "-t", $"{Registry}/signed/plain:1.0", .. sources]);
        Assert.True(unsigned.ExitCode == 0, unsigned.Combined);
        ProcessResult notSigned = await RunAsync("verify", "--key", pub, $"{Registry}/signed/plain:1.0");
        Assert.Equal(1, notSigned.ExitCode);
        Assert.Contains("3 of the 3 manifest(s)", notSigned.StandardError, StringComparison.Ordinal);

        // A signature whose bytes were changed verifies no more: the index's signature manifest is replaced by one
        // whose signature annotation is another (valid base64) value.
        string indexDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{Registry}/signed/app:1.0"))));
        string sigTag = indexDigest.Replace(':', '-') + ".sig";
        JsonNode signature = JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/signed/app:{sigTag}"))!;
        byte[] bytes = Convert.FromBase64String(signature["layers"]![0]!["annotations"]!["dev.cosignproject.cosign/signature"]!.GetValue<string>());
        bytes[^1] ^= 0x01;
        signature["layers"]![0]!["annotations"]!["dev.cosignproject.cosign/signature"] = Convert.ToBase64String(bytes);
        using (var client = new MultiArchContainers.Oci.Registry.RegistryClient(Registry))
        {
            await client.PutManifestAsync("signed/app", sigTag, System.Text.Encoding.UTF8.GetBytes(signature.ToJsonString()), "application/vnd.oci.image.manifest.v1+json", CancellationToken.None);
        }

        ProcessResult tampered = await RunAsync("verify", "--key", pub, $"{Registry}/signed/app:1.0");
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("1 of the 3 manifest(s)", tampered.StandardError, StringComparison.Ordinal);
        Assert.Contains(tampered.StandardOutput.Split('\n'), l => l.StartsWith("UNSIGNED", StringComparison.Ordinal) && l.Contains("index", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyThatCannotSignFailsTheMergeBeforeAnythingIsPushed()
    {
        string bad = Path.Combine(fixture.Root, "bad.pem");
        File.WriteAllText(bad, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        ProcessResult result = await RunAsync(["merge", "-t", $"{Registry}/signed/never:1.0", "--sign-key", bad, .. fixture.Sources.Take(1)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error MAC2031", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", result.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain("signed/never", await RegistryCatalog.RepositoriesAsync(Registry));
    }

    /// <summary>
    /// A registry that answers manifest PUTs with OCI-Subject but has no referrers API (a proxy in front of the real
    /// one): the merge asks the referrers API, and since it does not list the bundle, writes the fallback tag.
    /// </summary>
    [Fact]
    public async Task AnOciSubjectAnswerAloneIsNotTakenAsAWorkingReferrersApi()
    {
        (string key, string pub) = await KeyAsync("subject");
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.RewriteHead((method, path, head) => method == "PUT" && path.Contains("/manifests/sha256:", StringComparison.Ordinal)
            ? head + "\r\nOCI-Subject: sha256:" + new string('0', 64)
            : head);

        ProcessResult merged = await RunAsync(["merge", "-t", $"{proxy.Address}/signed/subject:1.0", "--sign-key", key, .. fixture.Sources.Take(1)]);

        Assert.True(merged.ExitCode == 0, merged.Combined);
        string digest = merged.StandardOutput.Trim();
        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.Path.EndsWith("/referrers/" + digest, StringComparison.Ordinal));
        JsonNode fallback = JsonNode.Parse(await Skopeo.InspectRawAsync($"{Registry}/signed/subject:{digest.Replace(':', '-')}"))!;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", Assert.Single(fallback["manifests"]!.AsArray())!["artifactType"]!.GetValue<string>());
        ProcessResult verified = await RunAsync("verify", "--key", pub, $"{proxy.Address}/signed/subject:1.0");
        Assert.True(verified.ExitCode == 0, verified.Combined);

        // A merge of the signed index into another repository, without a key: the images keep their signatures there.
        ProcessResult copied = await RunAsync("merge", "-t", $"{Registry}/signed/copy:1.0", $"{Registry}/signed/subject:1.0");
        Assert.True(copied.ExitCode == 0, copied.Combined);
        ProcessResult copiedVerified = await RunAsync("verify", "--key", pub, $"{Registry}/signed/copy:1.0");
        string[] lines = copiedVerified.StandardOutput.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("UNSIGNED", lines[0], StringComparison.Ordinal); // the new index: no key, not signed
        Assert.StartsWith("signed", lines[1], StringComparison.Ordinal);   // the image: its signatures came along
        Assert.Contains("(cosign, bundle)", lines[1], StringComparison.Ordinal);
        Assert.True(verified.ExitCode == 0, verified.Combined);
    }
}
