using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks.Tests;

[Collection(TaskRegistryCollection.Name)]
public sealed class PushAndPublishTests(TaskRegistryFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mac-tasks-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private ITaskItem Archive(string rid, TestImage image)
    {
        string path = Path.Combine(_work, rid + ".tar");
        image.WriteLayoutArchive(path, "1.0", "latest");
        var item = new TaskItem(path);
        item.SetMetadata("RuntimeIdentifier", rid);
        return item;
    }

    [Fact]
    public async Task PushesImagesByDigestThenPublishesTheIndexWithMetadata()
    {
        string repository = "tasks/app";
        var engine = new TestBuildEngine();
        var push = new PushPlatformImages
        {
            BuildEngine = engine,
            Archives =
            [
                Archive("linux-x64", TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "app")),
                Archive("linux-arm64", TestImage.Create(BaseImageSeeder.DefaultPlatforms[1], "app", writeVariant: false)),
            ],
            Registry = fixture.Registry.Address,
            Repository = repository,
            MountFrom = [TaskRegistryFixture.BaseRepository],
            WorkingDirectory = Path.Combine(_work, "layouts"),
        };

        Assert.True(push.Execute(), engine.Log);
        Assert.Equal(["linux-x64", "linux-arm64"], push.Images.Select(i => i.GetMetadata("RuntimeIdentifier")));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], push.Images.Select(i => i.GetMetadata("Platform")));
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));

        string metadataFile = Path.Combine(_work, "out", "metadata.json");
        string planFile = Path.Combine(_work, "plan.json");
        PublishPlan.Write(planFile, new PublishPlan { Annotations = [new PlannedAnnotation("index", null, "org.opencontainers.image.source", "https://example.com/x:1;y=2&z'ü%3B%25")] });
        var combine = new CombineImageIndex { BuildEngine = engine, Images = push.Images, Order = ["linux-x64", "linux-arm64"], PlanFile = planFile, IndexFile = Path.Combine(_work, "index.json") };
        Assert.True(combine.Execute(), engine.Log);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));
        var publish = new PushImageIndex
        {
            BuildEngine = engine,
            Images = combine.OrderedImages,
            IndexFile = combine.IndexFile,
            Registry = fixture.Registry.Address,
            Repository = repository,
            Tags = ["1.0", "latest"],
        };

        Assert.True(publish.Execute(), engine.Log);
        var report = new ReportImageIndex { BuildEngine = engine, Index = publish.PublishedIndex!, Images = combine.OrderedImages, MetadataFile = metadataFile };
        Assert.True(report.Execute(), engine.Log);

        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:latest");
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("https://example.com/x:1;y=2&z'ü%3B%25", index["annotations"]!["org.opencontainers.image.source"]!.GetValue<string>());
        Assert.Equal(push.Images.Select(i => i.ItemSpec), index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Equal("v8", index["manifests"]![1]!["platform"]!["variant"]!.GetValue<string>());
        Assert.Equal(["1.0", "latest"], await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/{repository}"));

        ITaskItem published = report.Reported!;
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(metadataFile));
        Assert.Equal(published.ItemSpec, metadata.RootElement.GetProperty("containerimage.digest").GetString());
        Assert.Equal(
            push.Images.Select(i => (i.GetMetadata("RuntimeIdentifier"), i.ItemSpec)),
            metadata.RootElement.GetProperty("platforms").EnumerateArray().Select(p => (p.GetProperty("rid").GetString()!, p.GetProperty("digest").GetString()!)));
        Assert.Equal("1.0;latest", published.GetMetadata("Tags"));
        Assert.Equal(metadataFile, published.GetMetadata("MetadataFile"));
        Assert.Contains(engine.Messages, m => m.Message!.Contains(published.ItemSpec, StringComparison.Ordinal) && m.Importance == MessageImportance.Normal);
    }

    [Fact]
    public async Task AnIndexRefusedForAMissingChildIsPublishedAfterTheChildIsPushedAgainFromItsLayout()
    {
        string repository = "tasks/child-gone";
        string layouts = Path.Combine(_work, "child-gone");
        var engine = new TestBuildEngine();
        var push = new PushPlatformImages
        {
            BuildEngine = engine,
            Archives = [Archive("linux-x64", TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "child-gone"))],
            Registry = fixture.Registry.Address,
            Repository = repository,
            WorkingDirectory = layouts,
        };
        Assert.True(push.Execute(), engine.Log);
        string child = push.Images[0].ItemSpec;
        string registry = fixture.Registry.Address;

        // Between the push and the index, the registry loses the child (a garbage collection) and refuses the index.
        await using LimitingProxy front = LimitingProxy.Start(fixture.Registry);
        front.Answer((method, path) => method == "PUT" && path == $"/v2/{repository}/manifests/1.0", 1, async stream =>
        {
            using var http = new HttpClient();
            using HttpResponseMessage deleted = await http.DeleteAsync($"http://{registry}/v2/{repository}/manifests/{child}");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, deleted.StatusCode);
            byte[] body = System.Text.Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"{{child}}"}]}""");
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.WriteAsync(body);
        });
        var combine = new CombineImageIndex { BuildEngine = engine, Images = push.Images, IndexFile = Path.Combine(layouts, "index.json") };
        Assert.True(combine.Execute(), engine.Log);
        var publish = new PushImageIndex
        {
            BuildEngine = engine,
            Images = combine.OrderedImages,
            IndexFile = combine.IndexFile,
            Registry = front.Address,
            Repository = repository,
            Tags = ["1.0"],
            WorkingDirectory = layouts,
        };

        Assert.True(publish.Execute(), engine.Log);

        Assert.Contains("MANIFEST_BLOB_UNKNOWN", engine.Log, StringComparison.Ordinal);
        JsonNode index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}:1.0"))!;
        Assert.Equal(child, index["manifests"]![0]!["digest"]!.GetValue<string>());
        Assert.NotEmpty(JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry}/{repository}@{child}"))!["layers"]!.AsArray());
    }

    [Fact]
    public async Task APushIsRecordedAndTheSameImageIsOnlyConfirmedNextTime()
    {
        string repository = "tasks/recorded";
        string cache = Path.Combine(_work, "cache");
        ITaskItem[] archives = [Archive("linux-x64", TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "recorded"))];
        PushPlatformImages Push(TestBuildEngine engine, string folder, string repo) => new()
        {
            BuildEngine = engine,
            Archives = archives,
            Registry = fixture.Registry.Address,
            Repository = repo,
            CacheRoot = cache,
            WorkingDirectory = Path.Combine(_work, folder),
        };

        var first = Push(new TestBuildEngine(), "first", repository);
        Assert.True(first.Execute());
        string records = Path.Combine(cache, "linux-x64", "pushed");
        Assert.Single(Directory.GetFiles(records, "*.json"));

        // The same archive with the same settings: one HEAD confirms the manifest, and the archive is not unpacked.
        var engine = new TestBuildEngine();
        var second = Push(engine, "second", repository);
        Assert.True(second.Execute(), engine.Log);
        Assert.Equal(first.Images.Select(i => i.ItemSpec), second.Images.Select(i => i.ItemSpec));
        Assert.Equal($"{fixture.Registry.Address}/{repository}", second.Images[0].GetMetadata("InRepository"));
        Assert.Contains(engine.Messages, m => m.Message!.Contains("is there already", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_work, "second")));

        // Another repository is another key, with a record of its own: the image is collected and pushed there.
        var elsewhere = Push(new TestBuildEngine(), "elsewhere", "tasks/recorded-elsewhere");
        Assert.True(elsewhere.Execute());
        Assert.True(Directory.Exists(Path.Combine(_work, "elsewhere", "linux-x64", "layout")));
        JsonNode pushedThere = JsonNode.Parse(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/tasks/recorded-elsewhere@{first.Images[0].ItemSpec}"))!;
        Assert.NotEmpty(pushedThere["layers"]!.AsArray());
        string[] both = Directory.GetFiles(records, "*.json");
        Assert.Equal(2, both.Length);

        // A record whose manifest the repository does not hold is not trusted: the image is collected and pushed again.
        foreach (string file in both)
        {
            JsonNode tampered = JsonNode.Parse(File.ReadAllText(file))!;
            tampered["manifest"]!["digest"] = "sha256:" + new string('0', 64);
            File.WriteAllText(file, tampered.ToJsonString());
        }

        var third = Push(new TestBuildEngine(), "third", "tasks/recorded-elsewhere");
        Assert.True(third.Execute());
        Assert.Equal(first.Images[0].ItemSpec, third.Images[0].ItemSpec);
        Assert.True(Directory.Exists(Path.Combine(_work, "third", "linux-x64", "layout")));

        // With a record that holds, the archive is only read: nothing is unpacked.
        var fourth = Push(new TestBuildEngine(), "fourth", "tasks/recorded-elsewhere");
        Assert.True(fourth.Execute());
        Assert.False(Directory.Exists(Path.Combine(_work, "fourth")));
    }

    [Fact]
    public void MissingArchiveOrRidAreCodedErrors()
    {
        var engine = new TestBuildEngine();
        var missing = new TaskItem(Path.Combine(_work, "nothing.tar"));
        missing.SetMetadata("RuntimeIdentifier", "linux-x64");
        var push = new PushPlatformImages
        {
            BuildEngine = engine,
            Archives = [missing, new TaskItem(Path.Combine(_work, "no-rid.tar"))],
            Registry = fixture.Registry.Address,
            Repository = "tasks/missing",
            WorkingDirectory = _work,
        };

        Assert.False(push.Execute());

        Assert.Equal(["MAC4001", "MAC4004"], engine.ErrorCodes);
    }

    [Fact]
    public void AnArchiveThatIsNotAnOciLayoutIsMac4002()
    {
        string path = Path.Combine(_work, "bad.tar");
        File.WriteAllText(path, "not a tar");
        var item = new TaskItem(path);
        item.SetMetadata("RuntimeIdentifier", "linux-x64");
        var engine = new TestBuildEngine();

        Assert.False(new PushPlatformImages
        {
            BuildEngine = engine,
            Archives = [item],
            Registry = fixture.Registry.Address,
            Repository = "tasks/bad",
            WorkingDirectory = _work,
        }.Execute());

        Assert.Equal(["MAC4002"], engine.ErrorCodes);
        Assert.Contains(path, engine.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTagsFailBeforeAnythingIsPushed()
    {
        var engine = new TestBuildEngine();
        var publish = new PushImageIndex
        {
            BuildEngine = engine,
            Images = [],
            IndexFile = Path.Combine(_work, "never-read.json"),
            Registry = fixture.Registry.Address,
            Repository = "tasks/badtag",
            Tags = ["ok", "-bad"],
        };

        Assert.False(publish.Execute());

        Assert.Equal(["MAC2010"], engine.ErrorCodes);
        Assert.Contains("'-bad'", engine.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/tasks/badtag"));
    }

    [Fact]
    public void CancelBeforeRunningFailsWithoutAnException()
    {
        var engine = new TestBuildEngine();
        var push = new PushPlatformImages
        {
            BuildEngine = engine,
            Archives = [Archive("linux-x64", TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "cancel"))],
            Registry = fixture.Registry.Address,
            Repository = "tasks/canceled",
            WorkingDirectory = Path.Combine(_work, "cancel"),
        };

        push.Cancel();

        Assert.False(push.Execute());
        Assert.Empty(engine.Errors);
    }
}
