using MultiArchContainers.Tasks.Nodes;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks.Tests;

public class BuildNodeParsingTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void ParsesAddressAndMetadata()
    {
        var diagnostics = new List<Diagnostic>();
        var metadata = new Dictionary<string, string> { ["WorkingDirectory"] = "/srv/builds", ["DotnetPath"] = "/opt/dotnet/dotnet", ["Timeout"] = "00:05:00", ["Transfer"] = "archive" };

        BuildNode node = BuildNode.Parse("arm", "ssh://ci@arm64-host.example.com:2222", "linux-arm64, linux-musl-arm64", metadata, diagnostics.Add)!;

        Assert.Empty(diagnostics);
        Assert.Equal(("ci", "arm64-host.example.com", (int?)2222), (node.User, node.Host, node.Port));
        Assert.Equal(["linux-arm64", "linux-musl-arm64"], node.RuntimeIdentifiers);
        Assert.Equal(("/srv/builds", "/opt/dotnet/dotnet", TimeSpan.FromMinutes(5), true), (node.WorkingDirectory, node.DotnetPath, node.Timeout, node.TransferArchive));
    }

    [Theory]
    [InlineData("arm", "http://host", "linux-arm64")]
    [InlineData("arm", "ssh://host/path", "linux-arm64")]
    [InlineData("arm", "ssh://host", "")]
    [InlineData("a b", "ssh://host", "linux-arm64")]
    public void BadDeclarationsAreMac3001(string name, string address, string rids)
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(BuildNode.Parse(name, address, rids, NoMetadata, diagnostics.Add));

        Assert.Equal("MAC3001", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void ParsesTheCommandLineForm()
    {
        var diagnostics = new List<Diagnostic>();

        var nodes = BuildNode.ParseList("arm=ssh://ci@arm-host|linux-arm64; x=ssh://x-host:2200|linux-x64,linux-musl-x64;broken", diagnostics.Add).ToList();

        Assert.Equal(["arm", "x"], nodes.Select(n => n.Name));
        Assert.Equal(["linux-x64", "linux-musl-x64"], nodes[1].RuntimeIdentifiers);
        Assert.Equal(2200, nodes[1].Port);
        Assert.Equal("MAC3001", Assert.Single(diagnostics).Code);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's; rm -rf / $(x) `y`", "'it'\\''s; rm -rf / $(x) `y`'")]
    [InlineData("", "''")]
    public void QuotesEveryValueAsOneShellWord(string value, string quoted)
    {
        Assert.Equal(quoted, ShellQuote.Quote(value));
    }

    [Fact]
    public async Task QuotedValuesComeBackUnchangedFromARealShell()
    {
        string value = "a'b\"c;d$(e)`f`\\g h\n";
        Testing.ProcessResult result = await Testing.ProcessRunner.RunAsync("sh", ["-c", "printf %s " + ShellQuote.Quote(value)]);

        Assert.Equal(value, result.StandardOutput);
    }

    [Fact]
    public void RequiredNodesWithoutAClaimAreMac3006()
    {
        var engine = new TestBuildEngine();
        var task = new AssignBuildNodes
        {
            BuildEngine = engine,
            Platforms = [new TaskItem("linux-x64"), new TaskItem("linux-arm64")],
            NodeList = "arm=ssh://arm-host|linux-arm64",
            RequireBuildNodes = true,
            ProjectPath = "/tmp/app.csproj",
        };

        Assert.False(task.Execute());

        Assert.Equal(["MAC3006"], engine.ErrorCodes);
        Assert.Contains("'linux-x64'", engine.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclaimedRidsStayLocal()
    {
        var engine = new TestBuildEngine();
        var task = new AssignBuildNodes
        {
            BuildEngine = engine,
            Platforms = [new TaskItem("linux-x64")],
            NodeList = "arm=ssh://arm-host|linux-arm64",
            ProjectPath = "/tmp/app.csproj",
        };

        Assert.True(task.Execute(), engine.Log);

        Assert.Equal(["linux-x64"], task.LocalPlatforms.Select(p => p.ItemSpec));
        Assert.Empty(task.Assignments);
    }
}
