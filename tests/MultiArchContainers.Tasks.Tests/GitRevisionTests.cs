namespace MultiArchContainers.Tasks.Tests;

public sealed class GitRevisionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-git-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("https://user:s3cret-token@example.com/team/app.git", "https://example.com/team/app.git")]
    [InlineData("https://example.com/team/app.git", "https://example.com/team/app.git")]
    [InlineData("git@example.com:team/app.git", "example.com:team/app.git")]
    [InlineData("\"https://user:pa;ss#word@example.com/team/app.git\" # a comment", "https://example.com/team/app.git")]
    [InlineData("https://user%40corp:s3cret%40x@example.com:8443/team/app.git ; another comment", "https://example.com:8443/team/app.git")]
    [InlineData("\"ssh://deploy:k\\\"ey@example.com/team/app.git\"", "ssh://example.com/team/app.git")]
    [InlineData("user:secret@example.com:team/app.git", "example.com:team/app.git")]
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

    [Theory]
    [InlineData("/home/someone/repos/app")]
    [InlineData("../app")]
    [InlineData("file:///home/someone/repos/app.git")]
    [InlineData("C:\\\\Users\\\\someone\\\\app")]
    public void ALocalPathIsNeverAnOrigin(string configured)
    {
        Directory.CreateDirectory(Path.Combine(_folder, ".git"));
        File.WriteAllText(Path.Combine(_folder, ".git", "config"), $"[remote \"origin\"]\n\turl = {configured}\n");

        Assert.Null(GitRevision.Origin(_folder));
    }

    [Theory]
    [InlineData("https://user:canary;pass@example.com/team/app.git")]
    [InlineData("https://user:canary#pass@example.com/team/app.git")]
    [InlineData("https://us%40er:canary\"pass@example.com/team/app.git")]
    [InlineData("https://user:can\\ary@example.com/team/app.git")]
    public async Task WhatGitItselfWritesIsReadAsGitReadsItAndLosesItsPassword(string url)
    {
        ProcessResult init = await ProcessRunner.RunAsync("git", ["init", "-q", _folder]);
        Assert.Equal(0, init.ExitCode);
        ProcessResult set = await ProcessRunner.RunAsync("git", ["-C", _folder, "remote", "add", "origin", url]);
        Assert.True(set.ExitCode == 0, set.Combined);
        ProcessResult read = await ProcessRunner.RunAsync("git", ["-C", _folder, "remote", "get-url", "origin"]);
        Assert.Equal(url, read.StandardOutput.Trim());

        string? origin = GitRevision.Origin(_folder);

        Assert.Equal("https://example.com/team/app.git", origin);
        Assert.DoesNotContain("canary", origin ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideGitThereIsNoOrigin() => Assert.Null(GitRevision.Origin(_folder));
}
