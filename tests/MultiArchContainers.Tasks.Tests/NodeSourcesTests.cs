using Microsoft.Build.Framework;
using MultiArchContainers.Tasks.Nodes;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks.Tests;

public sealed class NodeSourcesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mac-sources-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    [Fact]
    public void TheRepositoryThatHoldsTheProjectIsSentByDefault()
    {
        Folder("repo/.git");
        string project = Folder("repo/src/App");

        Assert.Equal(Path.Combine(_root, "repo"), NodeSources.ResolveRoot(project, string.Empty, out string? problem));
        Assert.Null(problem);
        Assert.Equal("src/App/App.csproj", NodeSources.RelativeProjectPath(Path.Combine(_root, "repo"), Path.Combine(project, "App.csproj")));
    }

    [Fact]
    public void AGitFileMarksAWorktreeOrSubmoduleRoot()
    {
        Folder("outer/.git");
        string inner = Folder("outer/modules/inner");
        File.WriteAllText(Path.Combine(inner, ".git"), "gitdir: ../../.git/modules/inner\n");
        string project = Folder("outer/modules/inner/App");

        Assert.Equal(inner, NodeSources.ResolveRoot(project, string.Empty, out _));
    }

    [Fact]
    public void OutsideAnyRepositoryTheProjectFolderIsSent()
    {
        string project = Folder("loose/App");

        Assert.Equal(project, NodeSources.ResolveRoot(project, "  ", out string? problem));
        Assert.Null(problem);
    }

    [Fact]
    public void AConfiguredRootIsTakenRelativeToTheProject()
    {
        Folder("repo/.git");
        string project = Folder("repo/services/api/App");

        Assert.Equal(Path.Combine(_root, "repo", "services"), NodeSources.ResolveRoot(project, "../..", out string? problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("../Other", "does not contain the project")]
    [InlineData("../Missing", "is not an existing folder")]
    public void AConfiguredRootThatCannotHoldTheProjectIsRefused(string configured, string expected)
    {
        string project = Folder("repo/App");
        Folder("repo/Other");

        Assert.Null(NodeSources.ResolveRoot(project, configured, out string? problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void ABadSourceRootIsMac3009BeforeAnyNodeIsContacted()
    {
        string project = Folder("repo/App");
        var engine = new TestBuildEngine();
        var node = new TaskItem("arm");
        node.SetMetadata("Address", "ssh://nobody@127.0.0.1:1");
        node.SetMetadata("RuntimeIdentifiers", "linux-arm64");
        var task = new AssignBuildNodes
        {
            BuildEngine = engine,
            Platforms = [new TaskItem("linux-arm64")],
            Nodes = [node],
            ProjectPath = Path.Combine(project, "App.csproj"),
            SourceRoot = "../../elsewhere",
        };

        Assert.False(task.Execute());

        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("MAC3009", error.Code);
        Assert.Contains("'../../elsewhere' is not an existing folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(task.Assignments);
    }

    [Fact]
    public async Task InAGitRepositoryWhatGitIgnoresAndBuildOutputStayHere()
    {
        string repo = Folder("repo");
        foreach (string[] arguments in new[] { new[] { "init", "-q" }, ["config", "user.email", "t@example.com"], ["config", "user.name", "t"] })
        {
            ProcessResult ran = await ProcessRunner.RunAsync("git", arguments, repo);
            Assert.True(ran.ExitCode == 0, ran.Combined);
        }

        var files = new Dictionary<string, string>
        {
            [".gitignore"] = "artifacts/\n*.log\n",
            ["src/App/App.csproj"] = "<Project />",
            ["src/App/Program.cs"] = "// tracked",
            ["src/App/New.cs"] = "// untracked, not ignored",
            ["src/App/build.log"] = "ignored",
            ["artifacts/packages/big.nupkg"] = "ignored",
            ["src/App/bin/Release/App.dll"] = "build output",
            ["src/Lib/obj/project.assets.json"] = "build output",
        };
        foreach ((string path, string content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repo, path))!);
            File.WriteAllText(Path.Combine(repo, path), content);
        }

        ProcessResult added = await ProcessRunner.RunAsync("git", ["add", ".gitignore", "src/App/App.csproj", "src/App/Program.cs"], repo);
        Assert.True(added.ExitCode == 0, added.Combined);
        File.WriteAllText(Path.Combine(repo, "src/App/Deleted.cs"), "// tracked, then deleted");
        Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["add", "src/App/Deleted.cs"], repo)).ExitCode);
        File.Delete(Path.Combine(repo, "src/App/Deleted.cs"));

        List<string> sent = NodeSources.Files(repo).Select(f => Path.GetRelativePath(repo, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

        Assert.Equal([".gitignore", "src/App/App.csproj", "src/App/New.cs", "src/App/Program.cs"], sent);
    }

    [Fact]
    public void OutsideGitEveryFileButBuildOutputIsSent()
    {
        string root = Folder("plain");
        foreach (string path in new[] { "App.csproj", "docs/readme.md", "bin/App.dll", "sub/obj/x.json", ".vs/state" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), "x");
        }

        List<string> sent = NodeSources.Files(root).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["App.csproj", "docs/readme.md"], sent);
    }
}
