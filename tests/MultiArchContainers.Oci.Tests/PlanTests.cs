namespace MultiArchContainers.Oci.Tests;

/// <summary>The Plan stage's pure parts: node assignment, the plan file, the RID table shared with the targets.</summary>
public sealed class PlanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-plan-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static BuildNode Node(string name, params string[] rids) =>
        BuildNode.Parse(name, $"ssh://ci@{name}.example", string.Join(';', rids), new Dictionary<string, string>(), d => throw new InvalidOperationException(d.ToString()))!;

    [Fact]
    public async Task EachClaimedRidGetsTheFirstNodeThatAnswersAndTheRestAreBuiltHere()
    {
        BuildNode down = Node("down", "linux-arm64");
        BuildNode up = Node("up", "linux-arm64", "linux-riscv64");
        var probed = new List<string>();
        var diagnostics = new List<Diagnostic>();

        NodeAssignment assignment = await NodeAssigner.AssignAsync(
            ["linux-x64", "linux-arm64", "linux-riscv64"], [down, up], requireNodes: false,
            node => { lock (probed) { probed.Add(node.Name); } return Task.FromResult(node == down ? "connection refused" : null); },
            diagnostics.Add, _ => { });

        Assert.Empty(diagnostics);
        Assert.Equal(["linux-x64"], assignment.Local);
        Assert.Equal("up", assignment.Nodes["linux-arm64"]);
        Assert.Equal("up", assignment.Nodes["linux-riscv64"]);
        Assert.Equal(["down", "up"], probed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NoReachableNodeIsMac3002OrMac3008AndARequiredNodeIsMac3006()
    {
        var diagnostics = new List<Diagnostic>();

        await NodeAssigner.AssignAsync(["linux-arm64", "linux-riscv64"], [Node("a", "linux-arm64"), Node("b", "linux-riscv64"), Node("c", "linux-riscv64")], false,
            _ => Task.FromResult<string?>("timed out"), diagnostics.Add, _ => { });
        await NodeAssigner.AssignAsync(["linux-x64"], [Node("a", "linux-arm64")], true, _ => Task.FromResult<string?>(null), diagnostics.Add, _ => { });

        Assert.Equal(["MAC3002", "MAC3008", "MAC3006"], diagnostics.Select(d => d.Code));
        Assert.Contains("timed out", diagnostics[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-oProxyCommand=x", "ssh://ci@host")]
    [InlineData("node", "ssh://-oProxyCommand=x@host")]
    [InlineData("node", "ssh://ci@-host")]
    [InlineData("no de", "ssh://ci@host")]
    [InlineData("node;rm", "ssh://ci@host")]
    public void NodeNamesUsersAndHostsThatSshCouldReadAsOptionsAreMac3001(string name, string address)
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(BuildNode.Parse(name, address, "linux-arm64", new Dictionary<string, string>(), diagnostics.Add));

        Assert.Equal("MAC3001", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void APlanKeepsEveryAnnotationValueByteForByte()
    {
        string value = "a%3Bb%25c%20d;e,f@g$(h)'i\"j\\k ünï 日本";
        var set = new AnnotationSet();
        set.Map(AnnotationLevel.Index, null)["com.example.odd"] = value;
        set.Map(AnnotationLevel.Manifest, "linux-arm64")["com.example.odd"] = value;
        string path = Path.Combine(_folder, "run-x", "plan.json");

        PublishPlan.Write(path, PublishPlan.From([new PlannedPlatform("linux-arm64", RuntimeIdentifierPlatforms.TryGetPlatform("linux-arm64")!)], set));
        AnnotationSet read = PublishPlan.Read(path).AnnotationSet();

        Assert.Equal(value, read.For(AnnotationLevel.Index)["com.example.odd"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        Assert.Equal(value, read.For(AnnotationLevel.Manifest, "linux-arm64")["com.example.odd"]);
    }

    [Fact]
    public void AnUnreadablePlanIsMac4008()
    {
        string path = Path.Combine(_folder, "broken.json");
        System.IO.File.WriteAllText(path, "{\"platforms\": 3}");

        Assert.Equal("MAC4008", Assert.ThrowsAny<MultiArchException>(() => PublishPlan.Read(path)).Diagnostic.Code);
    }

    [Fact]
    public void TheTargetsPassToRestoreExactlyTheRidsOfTheTable()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !System.IO.File.Exists(Path.Combine(root, "MultiArchContainers.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        string targets = System.IO.File.ReadAllText(Path.Combine(root!, "sdk", "MultiArchContainers.Plan.targets"));
        Assert.Contains($"(?!(?:{RuntimeIdentifierPlatforms.RestorePattern})\\s*(?:;|$))", targets, StringComparison.Ordinal);

        var pattern = new System.Text.RegularExpressions.Regex($"^(?:{RuntimeIdentifierPlatforms.RestorePattern})$");
        string[] candidates = ["linux-x64", "linux-musl-arm64", "linux-arm", "linux-x86", "win-x64", "win-arm64", "win-x86", "win-arm", "osx-arm64", "linux-bogus", "freebsd-x64"];
        Assert.All(candidates, rid => Assert.Equal(RuntimeIdentifierPlatforms.TryGetPlatform(rid) is not null, pattern.IsMatch(rid)));
    }

    [Fact]
    public void RunFoldersOfEarlierPublishesGoOnceTheyAreADayOld()
    {
        string old = Directory.CreateDirectory(Path.Combine(_folder, "run-old")).FullName;
        string recent = Directory.CreateDirectory(Path.Combine(_folder, "run-recent")).FullName;
        string other = Directory.CreateDirectory(Path.Combine(_folder, "restore")).FullName;
        foreach (string folder in new[] { old, other })
        {
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddDays(-2));
        }

        Assert.Equal(1, RunFolders.RemoveStale(_folder, DateTimeOffset.UtcNow));

        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(recent));
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public async Task TheBuildTimeIsSourceDateEpochElseTheCommitTimeElseNow()
    {
        DateTimeOffset clock = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        string repository = Directory.CreateDirectory(Path.Combine(_folder, "repo", "src", "app")).FullName;
        var commitTime = new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = "2024-02-03T04:05:06Z", ["GIT_COMMITTER_DATE"] = "2024-02-03T04:05:06Z" };
        string root = Path.Combine(_folder, "repo");
        File.WriteAllText(Path.Combine(root, "file.txt"), "x");
        foreach (string[] git in new[] { new[] { "init", "-q" }, new[] { "add", "-A" }, new[] { "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "x" } })
        {
            Assert.Equal(0, (await MultiArchContainers.Testing.ProcessRunner.RunAsync("git", git, root, commitTime)).ExitCode);
        }

        Assert.Equal(new BuildTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), BuildTimeSource.SourceDateEpoch), BuildTime.Resolve("1700000000", repository, true, () => clock));
        Assert.Equal(new BuildTime(DateTimeOffset.Parse("2024-02-03T04:05:06Z", System.Globalization.CultureInfo.InvariantCulture), BuildTimeSource.GitCommit), BuildTime.Resolve(null, repository, true, () => clock));
        Assert.Equal(new BuildTime(clock, BuildTimeSource.Now), BuildTime.Resolve(null, repository, false, () => clock));
        Assert.Equal(new BuildTime(clock, BuildTimeSource.Now), BuildTime.Resolve(string.Empty, Path.GetTempPath(), true, () => clock));
        Assert.False(BuildTime.Resolve(null, repository, false, () => clock).Reproducible);
    }
}
