namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// A re-merge of images that are already in the target repository stays at the request floor, counted by the
/// project's proxy in front of the real registry: with N children and T tags, at most 3N + T + 2 requests for tag
/// sources and N + T + 2 for metadata-file sources, and nothing is written.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RequestBudgetTests(RegistryFixture fixture) : IDisposable
{
    private static readonly string[] Architectures = ["amd64", "arm64", "arm", "386", "s390x", "ppc64le", "riscv64", "mips64le"];
    private static readonly string[] Tags = ["1.0", "latest"];
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-budget-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AReMergeOfEightImagesAlreadyInTheTargetStaysWithinItsBudget()
    {
        using (var direct = new RegistryClient(fixture.Registry.Address))
        {
            foreach (string architecture in Architectures)
            {
                await SmallImage.WithPlatform(architecture, "budget-" + architecture).PushAsync(direct, "budget/app", "p-" + architecture);
            }
        }

        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        var byTag = new MergeRequest
        {
            Sources = Architectures.Select(a => $"{front.Address}/budget/app:p-{a}").ToList(),
            Registry = front.Address,
            Repository = "budget/app",
            Tags = Tags,
        };
        MergeResult first = (await HostileRegistryTests.MergeAsync(byTag, _ => { }))!;

        int before = front.Requests.Count;
        MergeResult again = (await HostileRegistryTests.MergeAsync(byTag, _ => { }))!;
        IReadOnlyList<ProxiedRequest> tagRun = front.Requests.Skip(before).ToList();

        int n = Architectures.Length;
        Assert.True(tagRun.Count <= (3 * n) + Tags.Length + 2, $"{tagRun.Count} requests: " + string.Join(", ", tagRun.Select(r => $"{r.Method} {r.Path}")));
        Assert.DoesNotContain(tagRun, r => r.Method is "PUT" or "POST" or "PATCH");
        Assert.Equal(first.Published!.Descriptor.Digest, again.Published!.Descriptor.Digest);

        var metadataFiles = new List<string>();
        foreach (PlatformImage image in first.Published.Images)
        {
            string file = Path.Combine(_folder, image.Platform.ToString().Replace('/', '-') + ".json");
            MetadataFile.Write(file, MetadataDocument.ForImage(image, front.Address, "budget/app"));
            metadataFiles.Add(file);
        }

        before = front.Requests.Count;
        MergeResult fromFiles = (await HostileRegistryTests.MergeAsync(byTag with { Sources = metadataFiles }, _ => { }))!;
        IReadOnlyList<ProxiedRequest> fileRun = front.Requests.Skip(before).ToList();

        Assert.True(fileRun.Count <= n + Tags.Length + 2, $"{fileRun.Count} requests: " + string.Join(", ", fileRun.Select(r => $"{r.Method} {r.Path}")));
        Assert.DoesNotContain(fileRun, r => r.Method is "PUT" or "POST" or "PATCH");
        Assert.Equal(first.Published.Descriptor.Digest, fromFiles.Published!.Descriptor.Digest);
        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/budget/app:latest");
        Assert.Equal(first.Published.Descriptor.Digest, Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(raw)));
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal(Architectures, index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
    }
}
