using System.Text.RegularExpressions;

namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// What a user sees of a two-RID publish at dotnet publish's default verbosity (minimal), without the terminal logger:
/// one line per RID (built with its time, or up to date) and the index line, in MSBuild's "project -> output" form.
/// The SDK's lines about the per-RID image archives, which read as if something had been pushed, and this SDK's
/// details stay at -v:n.
/// </summary>
[Collection(PublishCollection.Name)]
public partial class QuietOutputTests(PublishFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task ADefaultVerbosityPublishShowsOneLinePerRidAndTheIndex()
    {
        using var sandbox = fixture.SandboxWith(
            $"""
            {fixture.Publishing("team/quiet", "1.0;latest")}
            """);
        string[] publish = ["publish", sandbox.ProjectPath, "-t:PublishMultiArch", "-nologo", "-tl:off"];

        ProcessResult first = await sandbox.DotnetAsync(publish);
        output.WriteLine(first.Combined);
        Assert.True(first.ExitCode == 0, first.Combined);
        ProcessResult again = await sandbox.DotnetAsync(publish);
        output.WriteLine(again.Combined);
        Assert.True(again.ExitCode == 0, again.Combined);

        foreach ((ProcessResult result, string outcome) in new[] { (first, @"built in \d+\.\d s"), (again, "up to date") })
        {
            string[] lines = result.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            foreach (string rid in new[] { "linux-x64", "linux-arm64" })
            {
                Assert.Single(lines, l => Regex.IsMatch(l, $"^{rid}: {outcome}, image sha256:[0-9a-f]{{64}}$"));
            }

            Assert.Single(lines, l => Regex.IsMatch(l, $"^app -> {Regex.Escape(fixture.Registry.Address)}/team/quiet@sha256:[0-9a-f]{{64}} \\(1\\.0, latest\\)$"));
            foreach (string noise in new[] { "Building image", "Pushed image", "local archive", "compiled once", "pushed linux/", "is there already", "Wrote image index" })
            {
                Assert.DoesNotContain(noise, result.StandardOutput, StringComparison.Ordinal);
            }

            // Nothing else but restore's and MSBuild's own "project -> output" lines (the folder and per-RID publishes).
            Assert.All(lines.Where(l => !l.StartsWith("linux-", StringComparison.Ordinal)), l => Assert.Matches(@"^(app -> |Determining projects to restore|All projects are up-to-date|Restored )", l));
        }
    }
}
