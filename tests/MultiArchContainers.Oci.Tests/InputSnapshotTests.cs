namespace MultiArchContainers.Oci.Tests;

public sealed class InputSnapshotTests : IDisposable
{
    private static readonly Digest Base = Digest.Sha256("base"u8.ToArray());
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string name, string content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void ASnapshotIsCurrentUntilAFileTheSettingsOrTheBaseImageChange()
    {
        string source = WriteFile("Program.cs", "class P { }");
        string assets = WriteFile("project.assets.json", "{}");
        string missing = Path.Combine(_folder, "later.props");
        InputSnapshot.Take("fp", "r/base:1", Base, "key", [source, assets, missing, source, " "]).Write(Path.Combine(_folder, "cache"));

        InputSnapshot snapshot = InputSnapshot.Read(Path.Combine(_folder, "cache"))!;
        Assert.Equal(3, snapshot.Files.Count);
        Assert.Null(snapshot.Changed("fp", Base));
        Assert.Equal("the project's settings or item lists changed", snapshot.Changed("other", Base));
        Assert.Equal("the base image r/base:1 changed", snapshot.Changed("fp", Digest.Sha256("moved"u8.ToArray())));
        Assert.Equal("the base image r/base:1 changed", snapshot.Changed("fp", null));

        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(source).AddSeconds(1));
        Assert.Equal($"{source} changed", snapshot.Changed("fp", Base));
        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(source).AddSeconds(-1));
        Assert.Null(snapshot.Changed("fp", Base));

        // A file that was not there and now is, or the other way round, is a change too.
        WriteFile("later.props", "<Project />");
        Assert.Equal($"{missing} changed", snapshot.Changed("fp", Base));
        File.Delete(missing);
        File.Delete(assets);
        Assert.Equal($"{assets} changed", snapshot.Changed("fp", Base));
    }

    [Fact]
    public void AMissingOrDamagedSnapshotIsNone()
    {
        Assert.Null(InputSnapshot.Read(_folder));
        WriteFile(InputSnapshot.FileName, "{\"fingerprint\":");
        Assert.Null(InputSnapshot.Read(_folder));
    }

    [Fact]
    public void TheFingerprintCoversTheToolGlobalPropertiesAndItemsButNotTheRunId()
    {
        var tool = Guid.NewGuid();
        string one = InputFingerprint.Compute(tool, new Dictionary<string, string> { ["Configuration"] = "Release", ["_MultiArchRunId"] = "a" }, ["Program.cs"]);

        Assert.Equal(one, InputFingerprint.Compute(tool, new Dictionary<string, string> { ["configuration"] = "Release", ["_MultiArchRunId"] = "b" }, ["Program.cs"]));
        Assert.NotEqual(one, InputFingerprint.Compute(tool, new Dictionary<string, string> { ["Configuration"] = "Debug" }, ["Program.cs"]));
        Assert.NotEqual(one, InputFingerprint.Compute(tool, new Dictionary<string, string> { ["Configuration"] = "Release" }, ["Program.cs", "Extra.cs"]));
        Assert.NotEqual(one, InputFingerprint.Compute(Guid.NewGuid(), new Dictionary<string, string> { ["Configuration"] = "Release" }, ["Program.cs"]));
    }
}
