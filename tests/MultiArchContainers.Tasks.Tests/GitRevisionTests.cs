namespace MultiArchContainers.Tasks.Tests;

public sealed class GitRevisionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-git-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("https://user:s3cret-token@example.com/team/app.git", "https://example.com/team/app.git")]
    [InlineData("https://example.com/team/app.git", "https://example.com/team/app.git")]
    [InlineData("git@example.com:team/app.git", "git@example.com:team/app.git")]
    public void TheOriginUrlNeverCarriesAPassword(string configured, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_folder, ".git"));
        File.WriteAllText(Path.Combine(_folder, ".git", "config"), $"""
            [core]
                bare = false
            [remote "upstream"]
                url = https://example.com/other.git
            [remote "origin"]
                url = {configured}
                fetch = +refs/heads/*:refs/remotes/origin/*
            """);
        string project = Path.Combine(_folder, "src", "App");
        Directory.CreateDirectory(project);

        Assert.Equal(expected, GitRevision.Origin(project));
        Assert.Equal(_folder, GitRevision.WorkTree(project));
    }

    [Fact]
    public void OutsideGitThereIsNoOrigin() => Assert.Null(GitRevision.Origin(_folder));
}
