namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// OCI 1.1 referrers against the real registry (distribution 2.x has no referrers API), through a proxy that plays a
/// registry claiming more than it does: an OCI-Subject answer alone is never taken as proof, the referrers API is
/// asked, the fallback tag is written when the API does not list the referrer, and others' entries there are kept.
/// </summary>
[Collection(RegistryCollection.Name)]
public class ReferrerStoreTests(RegistryFixture fixture)
{
    private static async Task<Descriptor> PushSubjectAsync(RegistryClient client, string repository, string seed)
    {
        var image = SmallImage.Create(seed);
        await image.PushAsync(client, repository);
        return Descriptor.For(MediaTypes.OciManifest, image.Manifest);
    }

    private static readonly Dictionary<string, string> Annotations = new() { ["com.example.kind"] = "test" };

    [Fact]
    public async Task AnOciSubjectAnswerWithoutAReferrersApiStillWritesTheFallbackTag()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.RewriteHead((method, path, head) => method == "PUT" && path.Contains("/manifests/sha256:", StringComparison.Ordinal)
            ? head + "\r\nOCI-Subject: sha256:" + new string('0', 64)
            : head);
        using var client = new RegistryClient(proxy.Address);
        Descriptor subject = await PushSubjectAsync(client, "referrers/subject-header", "subject-header");

        JsonObject entry = await new ReferrerStore(client, "referrers/subject-header").PushAsync(subject, "application/vnd.example.note", "note"u8.ToArray(), Annotations, CancellationToken.None);

        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.Path.Contains("/referrers/" + subject.Digest, StringComparison.Ordinal));
        JsonNode fallback = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/referrers/subject-header:{ReferrerStore.FallbackTag(subject.Digest)}"))!;
        JsonNode listed = Assert.Single(fallback["manifests"]!.AsArray())!;
        Assert.Equal((string?)entry["digest"], listed["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.example.note", listed["artifactType"]!.GetValue<string>());
        JsonNode artifact = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/referrers/subject-header@{entry["digest"]}"))!;
        Assert.Equal(subject.Digest.ToString(), artifact["subject"]!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task AReferrersApiThatListsTheReferrerNeedsNoFallbackTag()
    {
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        proxy.Answer((method, path) => method == "GET" && path.Contains("/referrers/", StringComparison.Ordinal), 5, async stream =>
        {
            ProxiedRequest put = proxy.Requests.Last(r => r.Method == "PUT" && r.Path.Contains("/manifests/sha256:", StringComparison.Ordinal));
            string digest = put.Path[(put.Path.LastIndexOf('/') + 1)..];
            byte[] body = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{digest}}}","size":1,"artifactType":"application/vnd.example.note"}]}""");
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(body);
        });
        using var client = new RegistryClient(proxy.Address);
        Descriptor subject = await PushSubjectAsync(client, "referrers/api", "api");

        await new ReferrerStore(client, "referrers/api").PushAsync(subject, "application/vnd.example.note", "note"u8.ToArray(), Annotations, CancellationToken.None);

        Assert.DoesNotContain(ReferrerStore.FallbackTag(subject.Digest), await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/referrers/api"));
    }

    [Fact]
    public async Task TheFallbackTagKeepsEveryEntryOthersWroteThere()
    {
        using var client = new RegistryClient(fixture.Registry.Address);
        Descriptor subject = await PushSubjectAsync(client, "referrers/shared", "shared");
        Descriptor other = await PushSubjectAsync(client, "referrers/shared", "another tool's artifact");
        string foreign = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{other.Digest}}}","size":{{{other.Size}}},"artifactType":"application/vnd.other.tool","annotations":{"org.other":"kept"}}]}""";
        await client.PutManifestAsync("referrers/shared", ReferrerStore.FallbackTag(subject.Digest), Encoding.UTF8.GetBytes(foreign), MediaTypes.OciIndex, CancellationToken.None);
        var store = new ReferrerStore(client, "referrers/shared");

        await store.PushAsync(subject, "application/vnd.example.note", "one"u8.ToArray(), Annotations, CancellationToken.None);
        await store.PushAsync(subject, "application/vnd.example.note", "one"u8.ToArray(), Annotations, CancellationToken.None);

        JsonNode[] entries = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/referrers/shared:{ReferrerStore.FallbackTag(subject.Digest)}"))!["manifests"]!.AsArray().Select(e => e!).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal("kept", entries[0]["annotations"]!["org.other"]!.GetValue<string>());
        Assert.Equal(other.Digest.ToString(), entries[0]["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.example.note", entries[1]["artifactType"]!.GetValue<string>());
        Assert.Equal(2, (await store.ListAsync(subject.Digest, CancellationToken.None)).Count);
    }
}
