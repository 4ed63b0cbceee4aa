namespace MultiArchContainers.Oci.Tests;

/// <summary>
/// The decisions of the incremental logic, without MSBuild: what a key holds, which files a state reads, when a build
/// is skipped, where kept images and push records live, and when a compile is shared, skipped or forced.
/// </summary>
public sealed class IncrementalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mac-incremental-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void AKeyNamesTheFieldThatDiffersAndNoSeparatorMakesTwoInputsAlike()
    {
        InputKey one = new KeyBuilder().Add("a", "1").Add("list", ["x=y", "z"]).Build();
        Assert.Null(one.Difference(new KeyBuilder().Add("list", ["x=y", "z"]).Add("a", "1").Build()));
        Assert.Equal("a changed", one.Difference(new KeyBuilder().Add("a", "2").Add("list", ["x=y", "z"]).Build()));
        Assert.Equal("b is new", one.Difference(new KeyBuilder().Add("a", "1").Add("b", "").Add("list", ["x=y", "z"]).Build()));
        Assert.Equal("a is gone", one.Difference(new KeyBuilder().Add("list", ["x=y", "z"]).Build()));
        Assert.Equal("list changed", one.Difference(new KeyBuilder().Add("a", "1").Add("list", ["x", "y", "z"]).Build()));
        Assert.Equal("list changed", one.Difference(new KeyBuilder().Add("a", "1").Add("list", ["x=y\nz"]).Build()));

        // With a secret, a kept value cannot be checked against a guess without it.
        byte[] secret = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        InputKey keyed = new KeyBuilder(secret).Add("environment variable TOKEN", "hunter2").Build();
        Assert.NotEqual(new KeyBuilder().Add("environment variable TOKEN", "hunter2").Build().Value, keyed.Value);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hunter2"u8)), keyed.Fields.Values);
    }

    [Fact]
    public void TheScopeWalksTheProjectFoldersButNotTheirOutputsAndProbesEveryFolderAbove()
    {
        string app = Path.Combine(_root, "src", "app");
        Write("src/app/app.csproj", "<Project />");
        Write("src/app/Program.cs", "x");
        Write("src/app/wwwroot/site.css", "x");
        Write("src/app/bin/Release/app.dll", "x");
        Write("src/app/obj/project.assets.json", "{}");
        Write("src/app/.git/HEAD", "x");
        Write("src/app/docs/bin/keep.txt", "x");
        Write("src/app/meta.json", "x");
        Write("src/app/out/published.dll", "x");
        string shared = Write("shared/Common.cs", "x");
        Directory.CreateSymbolicLink(Path.Combine(app, "linked"), Path.Combine(_root, "shared"));

        var scope = new InputScope { ProjectDirectories = [app], Excluded = [Path.Combine(app, "meta.json"), Path.Combine(app, "out")], ExtraFiles = [shared] };
        (IReadOnlyList<string> files, IReadOnlyList<string> links) = scope.Walk(out string? tooMany)!.Value;

        Assert.Null(tooMany);
        string[] inApp = [.. files.Where(f => f.StartsWith(app + "/", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(app, f))];
        // A folder named bin counts as output only next to a project file.
        Assert.Equal(["Program.cs", "app.csproj", "docs/bin/keep.txt", "wwwroot/site.css"], inApp);
        Assert.Contains(shared, files);
        Assert.Equal([$"{Path.Combine(app, "linked")} -> {Path.Combine(_root, "shared")}"], links);
        foreach (string above in new[] { Path.Combine(_root, "src"), _root, "/" })
        {
            Assert.Contains(Path.Combine(above, "Directory.Build.props"), files);
            Assert.Contains(Path.Combine(above, "nuget.config"), files);
        }

        Assert.Null(new InputScope { ProjectDirectories = [app], MaxFiles = 3 }.Walk(out tooMany));
        Assert.Contains("more than 3 files", tooMany, StringComparison.Ordinal);
    }

    private InputState State(string app, string variable = "1") =>
        InputState.Take(new InputScope { ProjectDirectories = [app] }, string.Empty, out _)!.With(new KeyBuilder().Add("environment variable X", variable));

    [Fact]
    public void ABuildIsSkippedOnlyWhileEveryInputIsTheSameByContent()
    {
        string app = Path.Combine(_root, "app");
        string source = Write("app/Program.cs", "class A { }");
        Write("app/app.csproj", "<Project />");
        InputState before = State(app);
        var record = new InputRecord(before, "key", DateTime.UtcNow.Ticks);

        Assert.True(ReuseDecision.Decide(State(app), record, imageKept: true).UpToDate);
        Assert.Equal("its kept image is gone", ReuseDecision.Decide(State(app), record, imageKept: false).Reason);
        Assert.Equal("it has not been built before", ReuseDecision.Decide(State(app), null, imageKept: true).Reason);
        Assert.Equal("environment variable X changed", ReuseDecision.Decide(State(app, "2"), record, imageKept: true).Reason);

        // Same size, same time, other content: MSBuild would not see it, so the decision names it to be revealed.
        DateTime time = File.GetLastWriteTimeUtc(source);
        File.WriteAllText(source, "class B { }");
        File.SetLastWriteTimeUtc(source, time);
        ReuseDecision sameTick = ReuseDecision.Decide(State(app), record, imageKept: true);
        Assert.Equal($"{source} changed", sameTick.Reason);
        Assert.Equal([source], sameTick.Invisible);

        // A change made after the last build finished is newer than its outputs: MSBuild sees it.
        File.SetLastWriteTimeUtc(source, new DateTime(record.CompletedAtTicks, DateTimeKind.Utc).AddSeconds(5));
        Assert.Empty(ReuseDecision.Decide(State(app), record, imageKept: true).Invisible);

        File.WriteAllText(source, "class A { }");
        string props = Write("Directory.Build.props", "<Project />");
        Assert.Equal($"{props} changed", ReuseDecision.Decide(State(app), record, imageKept: true).Reason);
        File.Delete(props);
        string extra = Write("app/Extra.cs", "x");
        Assert.Equal($"{extra} is new", ReuseDecision.Decide(State(app), record, imageKept: true).Reason);
        File.Delete(extra);
        File.Delete(source);
        Assert.Equal($"{source} is no longer one of its inputs", ReuseDecision.Decide(State(app), record, imageKept: true).Reason);
    }

    [Fact]
    public void EachRidIsDecidedFromItsOwnRecordAndASkippedOneUsesItsKeptImage()
    {
        string app = Path.Combine(_root, "app");
        Write("app/Program.cs", "class A { }");
        string cache = Path.Combine(_root, "cache");
        InputState state = State(app);
        string built = Write("built.tar", "image");
        new ImageStore(Path.Combine(cache, "linux-x64")).Keep("k1", built);
        new InputRecord(state, "k1", DateTime.UtcNow.Ticks).Write(Path.Combine(cache, "linux-x64"));
        new InputRecord(state, "k2", DateTime.UtcNow.Ticks).Write(Path.Combine(cache, "linux-arm64"));

        IReadOnlyList<BuildSkipper.Result> results = BuildSkipper.Decide(cache, ["linux-x64", "linux-arm64", "linux-arm"], state, null, enabled: true);

        Assert.True(results[0].Decision.UpToDate);
        Assert.Equal("image", File.ReadAllText(results[0].Archive!));
        Assert.Equal("its kept image is gone", results[1].Decision.Reason);
        Assert.Equal("it has not been built before", results[2].Decision.Reason);
        Assert.Equal("ContainerSkipUnchangedBuilds is false", BuildSkipper.Decide(cache, ["linux-x64"], state, null, enabled: false)[0].Decision.Reason);
        Assert.Equal("no assets", BuildSkipper.Decide(cache, ["linux-x64"], null, "no assets", enabled: true)[0].Decision.Reason);
        Assert.Null(InputRecord.Read(Path.Combine(_root, "nowhere")));
    }

    [Fact]
    public void PublishesThatAlternateBetweenTwoStatesFindTheImageOfEach()
    {
        string app = Path.Combine(_root, "app");
        Write("app/Program.cs", "class A { }");
        string cache = Path.Combine(_root, "cache");
        string folder = Path.Combine(cache, "linux-x64");
        var store = new ImageStore(folder);
        store.Keep("one", Write("one.tar", "version one"));
        store.Keep("two", Write("two.tar", "version two"));
        InputState one = State(app, "1");
        InputState two = State(app, "2");
        new InputRecord(one, "one", DateTime.UtcNow.Ticks).Write(folder);
        new InputRecord(two, "two", DateTime.UtcNow.Ticks).Write(folder);

        Assert.Equal("version one", File.ReadAllText(BuildSkipper.Decide(cache, ["linux-x64"], State(app, "1"), null, enabled: true)[0].Archive!));
        Assert.Equal("version two", File.ReadAllText(BuildSkipper.Decide(cache, ["linux-x64"], State(app, "2"), null, enabled: true)[0].Archive!));
        // A third state is compared with the last build for its reason.
        Assert.Equal("environment variable X changed", BuildSkipper.Decide(cache, ["linux-x64"], State(app, "3"), null, enabled: true)[0].Decision.Reason);
        Assert.Equal("two", InputRecord.Read(folder)!.ImageKey);
    }

    [Fact]
    public async Task ASecondPublishWaitsForTheLockUntilTheFirstReleasesIt()
    {
        string path = Path.Combine(_root, "obj", "multiarch", "publish.lock");
        FileStream first = await PublishLock.AcquireAsync(path, () => { }, CancellationToken.None);
        bool waited = false;
        Task<FileStream> second = PublishLock.AcquireAsync(path, () => waited = true, CancellationToken.None);
        await Task.Delay(600);
        Assert.False(second.IsCompleted);
        Assert.True(waited);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        using var canceled = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using FileStream third = await PublishLock.AcquireAsync(path, () => { }, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishLock.AcquireAsync(path, () => { }, canceled.Token));
    }

    [Fact]
    public void AnImageIsKeptUnderItsKeyNeverReplacedAndOldOnesGo()
    {
        var store = new ImageStore(Path.Combine(_root, "cache", "linux-x64"));
        string first = Write("first.tar", "first");
        string second = Write("second.tar", "second");
        // Kept by moving: the archive is now in the store, and a second one under the same key stays where it is.
        Assert.Equal(store.PathOf("a"), store.Keep("a", first));
        Assert.False(File.Exists(first));
        Assert.Equal(second, store.Keep("a", second));
        Assert.Equal("first", File.ReadAllText(store.PathOf("a")));
        Assert.Equal("second", File.ReadAllText(second));

        for (int i = 0; i < 5; i++)
        {
            store.Keep($"old{i}", Write($"old{i}.tar", "old"));
            File.SetLastWriteTimeUtc(store.PathOf($"old{i}"), DateTime.UtcNow.AddHours(-2 - i));
        }

        store.Keep("new", second);
        // The newest three stay, and any used within the hour; the rest go.
        Assert.True(store.Holds("new") && store.Holds("a") && store.Holds("old0"));
        Assert.DoesNotContain(Enumerable.Range(1, 4), i => store.Holds($"old{i}"));
        Assert.False(store.Use("missing"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_root, "cache", "linux-x64", "images")));
        }
    }

    [Fact]
    public void TheReferencedProjectsComeFromTheAssetsFile()
    {
        string app = Path.Combine(_root, "src", "App");
        string assets = Write("src/App/obj/project.assets.json", """
            {"libraries":{"Lib/1.0.0":{"type":"project","path":"../Lib/Lib.csproj","msbuildProject":"../Lib/Lib.csproj"},
            "Deep/1.0.0":{"type":"project","path":"../Deep/Deep.csproj"},"Pkg/1.0.0":{"type":"package","path":"pkg/1.0.0"}},
            "project":{"restore":{"configFilePaths":["/etc/nuget.config"]}}}
            """);
        (IReadOnlyList<string> projects, IReadOnlyList<string> configs) = ProjectClosure.FromAssets(assets, app)!.Value;
        Assert.Equal([Path.Combine(_root, "src", "Lib", "Lib.csproj"), Path.Combine(_root, "src", "Deep", "Deep.csproj")], projects);
        Assert.Equal(["/etc/nuget.config"], configs);
        Assert.Null(ProjectClosure.FromAssets(Path.Combine(_root, "missing.json"), app));
    }

    [Fact]
    public void APushIsRecordedUnderItsKeyAndFoundOnlyUnderIt()
    {
        string folder = Path.Combine(_root, "cache", "linux-x64");
        var manifest = Descriptor.For(MediaTypes.OciManifest, "{}"u8.ToArray()) with { Platform = new Platform { Os = "linux", Architecture = "amd64" } };
        new PushRecord("k1", manifest, null).Write(folder);
        Assert.Equal(manifest, PushRecord.Read(folder, "k1")!.Manifest);
        Assert.Null(PushRecord.Read(folder, "k2"));
        for (int i = 0; i < PushRecord.Kept + 3; i++)
        {
            new PushRecord($"n{i}", manifest, null).Write(folder);
        }

        Assert.Equal(PushRecord.Kept, Directory.GetFiles(Path.Combine(folder, "pushed")).Length);
    }

    private static InputKey Signature(string obj, string define, params string[] sources) =>
        CompileRecord.SignatureOf(
            [KeyValuePair.Create("DefineConstants", define), KeyValuePair.Create("CompilerGeneratedFilesOutputPath", obj + "generated")],
            sources.Select(s => new CompileInput("Sources", s, string.Empty)),
            [obj],
            []);

    [Fact]
    public void ACompileSignatureComparesGeneratedFilesByContentWhereverTheyAre()
    {
        string shared = Path.Combine(_root, "obj") + "/";
        string rid = Path.Combine(_root, "obj", "linux-x64") + "/";
        string source = Write("Program.cs", "class A { }");
        Write("obj/Info.cs", "[assembly: X]");
        Write("obj/linux-x64/Info.cs", "[assembly: X]");

        InputKey one = Signature(shared, "TRACE", source, shared + "Info.cs");
        Assert.Null(one.Difference(Signature(rid, "TRACE", source, rid + "Info.cs")));
        Assert.Equal("setting DefineConstants changed", one.Difference(Signature(rid, "TRACE;ARM", source, rid + "Info.cs")));
        Write("obj/linux-x64/Info.cs", "[assembly: Y]");
        Assert.Equal($"Sources #1 {CompileRecord.IntermediateToken}/Info.cs changed", one.Difference(Signature(rid, "TRACE", source, rid + "Info.cs")));
    }

    [Fact]
    public void APerRidCompileTakesTheSharedOutputsOnlyForTheSameSignatureElseCompilesWhenItChanged()
    {
        string sharedDll = Write("obj/app.dll", "shared IL");
        string sharedRecord = Path.Combine(_root, "obj", "record.json");
        string source = Write("Program.cs", "class A { }");
        InputKey signature = Signature(Path.Combine(_root, "obj") + "/", "TRACE", source);
        new CompileRecord(signature, new Dictionary<string, string> { ["Assembly"] = sharedDll }).Write(sharedRecord);

        string ridDll = Path.Combine(_root, "obj", "linux-x64", "app.dll");
        string ridRecord = Path.Combine(_root, "obj", "linux-x64", "record.json");
        var outputs = new Dictionary<string, string> { ["Assembly"] = ridDll, ["Documentation"] = string.Empty };
        InputKey ridSignature = Signature(Path.Combine(_root, "obj", "linux-x64") + "/", "TRACE", source);

        Assert.Equal(CompilePreparer.Outcome.Shared, CompilePreparer.Prepare(ridSignature, outputs, ridRecord, sharedRecord).Outcome);
        Assert.Equal("shared IL", File.ReadAllText(ridDll));
        Assert.True(File.GetLastWriteTimeUtc(ridDll) >= File.GetLastWriteTimeUtc(source));

        // Another define for this RID: it compiles on its own, once; then its outputs stand until its inputs change.
        InputKey arm = Signature(Path.Combine(_root, "obj", "linux-x64") + "/", "TRACE;ARM", source);
        Assert.Equal(CompilePreparer.Outcome.Compile, CompilePreparer.Prepare(arm, outputs, ridRecord, sharedRecord).Outcome);
        Assert.False(File.Exists(ridDll));
        File.WriteAllText(ridDll, "arm IL");
        Assert.Equal(CompilePreparer.Outcome.Unchanged, CompilePreparer.Prepare(arm, outputs, ridRecord, sharedRecord).Outcome);
        Assert.Equal("arm IL", File.ReadAllText(ridDll));

        // The shared compile itself: a changed source forces the compiler even when times say otherwise.
        Assert.Equal(CompilePreparer.Outcome.Unchanged, CompilePreparer.Prepare(signature, new Dictionary<string, string> { ["Assembly"] = sharedDll }, sharedRecord, string.Empty).Outcome);
        File.WriteAllText(source, "class B { }");
        InputKey changed = Signature(Path.Combine(_root, "obj") + "/", "TRACE", source);
        Assert.Equal(CompilePreparer.Outcome.Compile, CompilePreparer.Prepare(changed, new Dictionary<string, string> { ["Assembly"] = sharedDll }, sharedRecord, string.Empty).Outcome);
        Assert.False(File.Exists(sharedDll));

        // Shared outputs that are gone are never taken.
        Assert.Equal(CompilePreparer.Outcome.Compile, CompilePreparer.Prepare(Signature(Path.Combine(_root, "obj", "linux-x64") + "/", "TRACE", source), outputs, ridRecord, sharedRecord).Outcome);
    }
}
