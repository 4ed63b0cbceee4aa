namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// The client against registries that misbehave: the real registry behind the project's own proxy, which demands
/// credentials, hands uploads and downloads to another host (127.0.0.2, another origin), alters bytes, or answers
/// with bytes of its own. Every case ends promptly with a coded error or with the right result read back by skopeo,
/// and credentials never reach the other host.
/// </summary>
[Collection(RegistryCollection.Name)]
public class HostileRegistryTests(RegistryFixture fixture)
{
    private static Func<string, string?> QuickTimeouts => name => name == "MULTIARCH_REGISTRY_INACTIVITY_TIMEOUT" ? "2" : null;

    private static bool IsManifestGet(string method, string path) => method == "GET" && path.Contains("/manifests/", StringComparison.Ordinal);

    private static Func<Stream, Task> Raw(string head, byte[]? body = null) => async stream =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }
    };

    private async Task PushDirectAsync(SmallImage image, string repository, string? tag = null)
    {
        using var direct = new RegistryClient(fixture.Registry.Address);
        await image.PushAsync(direct, repository, tag);
    }

    /// <summary>A merge through the core with a client per registry and a private working folder, both cleaned up.</summary>
    internal static async Task<MergeResult?> MergeAsync(MergeRequest request, Action<string> log)
    {
        var clients = new Dictionary<string, RegistryClient>();
        string work = Directory.CreateTempSubdirectory("mac-hostile-").FullName;
        try
        {
            return await new ImageMerger(r => clients.TryGetValue(r, out RegistryClient? c) ? c : clients[r] = new RegistryClient(r), work, _ => { }, log)
                .MergeAsync(request, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            foreach (RegistryClient client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task UploadsHandedToAnotherHostGetNoCredentials()
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        await using LimitingProxy storage = LimitingProxy.Start(fixture.Registry, bind: "127.0.0.2");
        front.RequireBasicAuth(TestCredentials.User, TestCredentials.Password);
        front.RewriteLocation(location => location.Replace(front.Address, storage.Address, StringComparison.Ordinal));
        using var client = new RegistryClient(front.Address, FixedCredentialSource.TestUser);

        SmallImage image = SmallImage.Create("upload-elsewhere");
        await image.PushAsync(client, "hostile/upload", "1.0");

        Assert.Contains(storage.Requests, r => r.Method == "PUT");
        Assert.All(storage.Requests, r => Assert.Null(r.Authorization));
        Assert.Contains(front.Requests, r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal) && r.Authorization is not null);
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/hostile/upload:1.0"));
    }

    [Fact]
    public async Task DownloadsRedirectedToAnotherHostGetNoCredentialsAndAreChecked()
    {
        SmallImage image = SmallImage.Create("download-elsewhere");
        await PushDirectAsync(image, "hostile/download", "1.0");

        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        await using LimitingProxy storage = LimitingProxy.Start(fixture.Registry, bind: "127.0.0.2");
        front.RequireBasicAuth(TestCredentials.User, TestCredentials.Password);
        Digest layer = Digest.Sha256(image.Layer);
        front.Answer((method, path) => method == "GET" && path.EndsWith(layer.ToString(), StringComparison.Ordinal), 1,
            Raw($"HTTP/1.1 307 Temporary Redirect\nLocation: http://{storage.Address}/v2/hostile/download/blobs/{layer}\nContent-Length: 0"));
        using var client = new RegistryClient(front.Address, FixedCredentialSource.TestUser);

        await using Stream blob = await client.OpenBlobAsync("hostile/download", layer, image.Layer.Length, CancellationToken.None);
        using var read = new MemoryStream();
        await blob.CopyToAsync(read);

        Assert.Equal(image.Layer, read.ToArray());
        Assert.Contains(front.Requests, r => r.Path.EndsWith(layer.ToString(), StringComparison.Ordinal) && r.Authorization is not null);
        ProxiedRequest redirected = Assert.Single(storage.Requests);
        Assert.Null(redirected.Authorization);
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/hostile/download:1.0"));
    }

    [Theory]
    [InlineData("https://169.254.169.254/token", "169.254.169.254")]
    [InlineData("http://user:pw@127.0.0.2:9/token", "127.0.0.2:9")]
    [InlineData("/token", "not an http or https URL")]
    [InlineData("ftp://127.0.0.2/token", "not an http or https URL")]
    public async Task ARealmThatBreaksTheRulesIsRefusedBeforeAnyRequestGoesThere(string realm, string named)
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer((method, path) => path == "/v2/", 1, Raw($"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"{realm}\",service=\"x\"\nContent-Length: 0"));
        using var client = new RegistryClient(front.Address, FixedCredentialSource.TestUser);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal("MAC1010", error.Diagnostic.Code);
        Assert.Contains(front.Address, error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCredentials.Password, error.ToString(), StringComparison.Ordinal);
        Assert.Single(front.Requests);
    }

    [Fact]
    public async Task AnEndlessManifestIsRefusedWhileItStreams()
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer(IsManifestGet, 1, async stream =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {MediaTypes.OciManifest}\r\nConnection: close\r\n\r\n"));
            byte[] chunk = new byte[1024 * 1024];
            try
            {
                for (int i = 0; i < 1024; i++)
                {
                    await stream.WriteAsync(chunk);
                }
            }
            catch (IOException)
            {
                // The client stopped reading and closed: what the test expects.
            }
        });
        using var client = new RegistryClient(front.Address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("hostile/endless", "1.0", CancellationToken.None));

        Assert.Equal("MAC1011", error.Diagnostic.Code);
        Assert.True(front.BytesAnswered < 64L * 1024 * 1024, $"the client took {front.BytesAnswered} bytes of a 1 GiB answer");
    }

    [Fact]
    public async Task ADeclaredHugeManifestIsRefusedWithoutReadingIt()
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer(IsManifestGet, 1, Raw($"HTTP/1.1 200 OK\nContent-Type: {MediaTypes.OciManifest}\nContent-Length: 10737418240"));
        using var client = new RegistryClient(front.Address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("hostile/huge", "1.0", CancellationToken.None));

        Assert.Equal("MAC1011", error.Diagnostic.Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARegistryThatStallsEndsWithMac1001WithinTheInactivityTimeout(bool afterTheHeaders)
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer(IsManifestGet, 1, async stream =>
        {
            if (afterTheHeaders)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {MediaTypes.OciManifest}\r\nContent-Length: 100\r\n\r\n{{"));
            }

            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        using var client = new RegistryClient(front.Address, environment: QuickTimeouts);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("hostile/stall", "1.0", CancellationToken.None));

        Assert.Equal("MAC1001", error.Diagnostic.Code);
        Assert.Contains("2 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"it took {clock.Elapsed}");
    }

    [Fact]
    public async Task ABodyShorterThanItsLengthIsMac1012()
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer(IsManifestGet, 1, Raw($"HTTP/1.1 200 OK\nContent-Type: {MediaTypes.OciManifest}\nContent-Length: 1000", Encoding.ASCII.GetBytes("{\"schemaVersion\"")));
        using var client = new RegistryClient(front.Address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => client.GetManifestAsync("hostile/short", "1.0", CancellationToken.None));

        Assert.Equal("MAC1012", error.Diagnostic.Code);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, "{\"manifests\": 5}")]
    [InlineData(MediaTypes.OciManifest, "{\"config\": \"not a descriptor\"}")]
    [InlineData("", "not json at all")]
    public async Task MalformedJsonFromARegistryIsMac1012(string mediaType, string body)
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        string type = mediaType.Length == 0 ? string.Empty : $"\nContent-Type: {mediaType}";
        front.Answer(IsManifestGet, 1, Raw($"HTTP/1.1 200 OK{type}\nContent-Length: {body.Length}", Encoding.ASCII.GetBytes(body)));
        using var client = new RegistryClient(front.Address);

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() =>
            RemoteImageReader.ReadAsync(client, ImageReference.Parse($"{front.Address}/hostile/malformed:1.0"), CancellationToken.None));

        Assert.Equal("MAC1012", error.Diagnostic.Code);
    }

    [Fact]
    public async Task AnAlteredLayerStopsAMergeBeforeAnythingIsWritten()
    {
        SmallImage image = SmallImage.Create("altered-on-the-way");
        await PushDirectAsync(image, "hostile/source", "1.0");

        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.TamperWith((method, path) => method == "GET" && path.EndsWith(Digest.Sha256(image.Layer).ToString(), StringComparison.Ordinal));
        var request = new MergeRequest { Sources = [$"{front.Address}/hostile/source:1.0"], Registry = fixture.Registry.Address, Repository = "hostile/target", Tags = ["1.0"] };

        var error = await Assert.ThrowsAnyAsync<MultiArchException>(() => MergeAsync(request, _ => { }));

        Assert.Equal("MAC1004", error.Diagnostic.Code);
        Assert.Contains(Digest.Sha256(image.Layer).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/hostile/target"));
    }

    [Fact]
    public async Task AConnectionLostDuringAnUploadStartsTheUploadAgain()
    {
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer((method, path) => method == "PUT" && path.Contains("/blobs/uploads/", StringComparison.Ordinal), 1, _ => Task.CompletedTask);
        var retries = new List<string>();
        using var client = new RegistryClient(front.Address) { RetryDelays = [TimeSpan.FromMilliseconds(20)], OnRetry = retries.Add };

        SmallImage image = SmallImage.Create("connection-lost");
        await image.PushAsync(client, "hostile/reset", "1.0");

        Assert.Contains(retries, r => r.Contains("a lost connection", StringComparison.Ordinal));
        Assert.Equal(3, front.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/hostile/reset:1.0"));
    }

    [Fact]
    public async Task AnAppendStartsOverWhenTheIndexMovedWhileItWorked()
    {
        using var direct = new RegistryClient(fixture.Registry.Address);
        var pushed = new List<PlatformImage>();
        foreach (string architecture in new[] { "amd64", "arm64" })
        {
            SmallImage image = SmallImage.WithPlatform(architecture, "append-" + architecture);
            await image.PushAsync(direct, "hostile/append");
            pushed.Add(new PlatformImage(architecture, Descriptor.For(MediaTypes.OciManifest, image.Manifest) with { Platform = new Platform { Os = "linux", Architecture = architecture } }));
        }

        SmallImage riscv = SmallImage.WithPlatform("riscv64", "append-riscv64");
        await riscv.PushAsync(direct, "hostile/append-source", "riscv");
        byte[] current = OciJson.Serialize(IndexCombiner.Combine(pushed, new CombineOptions()));
        await direct.PutManifestAsync("hostile/append", "1.0", current, MediaTypes.OciIndex, CancellationToken.None);
        byte[] stale = OciJson.Serialize(IndexCombiner.Combine([pushed[0]], new CombineOptions()));

        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer((method, path) => method == "GET" && path == "/v2/hostile/append/manifests/1.0", 1,
            Raw($"HTTP/1.1 200 OK\nContent-Type: {MediaTypes.OciIndex}\nContent-Length: {stale.Length}", stale));
        var log = new List<string>();
        var request = new MergeRequest { Sources = [$"{fixture.Registry.Address}/hostile/append-source:riscv"], Registry = front.Address, Repository = "hostile/append", Tags = ["1.0"], Append = true };

        MergeResult? result = await MergeAsync(request, log.Add);

        Assert.NotNull(result?.Published);
        Assert.Contains(log, l => l.Contains("changed while this merge worked", StringComparison.Ordinal));
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/hostile/append:1.0"))!;
        Assert.Equal(["amd64", "arm64", "riscv64"], index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
    }
}
