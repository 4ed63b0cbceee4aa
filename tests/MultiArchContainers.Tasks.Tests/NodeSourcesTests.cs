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
        var task = new BuildOnNodes
        {
            BuildEngine = engine,
            AssignOnly = true,
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
}
