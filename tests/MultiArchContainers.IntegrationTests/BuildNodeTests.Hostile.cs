using System.Runtime.Versioning;

namespace MultiArchContainers.IntegrationTests;

/// <summary>Build nodes that misbehave or are hostile: a timeout, an unknown host key, values that would run commands.</summary>
public partial class BuildNodeTests
{
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ANodeTimeoutEndsTheRemoteProcesses()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string work = Path.Combine(sshd.Root, "work");
        // A dotnet that sleeps far past the timeout before it publishes: the timeout fires whatever the machine's
        // speed. The sleep is a copy of sleep(1) under the node's folder, so its command line names that folder too.
        string slowBin = Directory.CreateDirectory(Path.Combine(sshd.Root, "slow-bin")).FullName;
        File.Copy(ResolveOnPath("sleep"), Path.Combine(slowBin, "sleep"));
        string slowDotnet = Path.Combine(slowBin, "dotnet");
        File.WriteAllText(slowDotnet, $"#!/bin/sh\n'{slowBin}/sleep' 300\nexec dotnet \"$@\"\n");
        File.SetUnixFileMode(slowDotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string node = $"""<ContainerBuildNode Include="slow" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" WorkingDirectory="{work}" DotnetPath="{slowDotnet}" Timeout="00:00:06" />""";
        using var sandbox = new Sandbox(fixture, Project("team/slow", node));

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0");
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC3005: The build of 'linux-arm64' on node 'slow' did not finish within 00:00:06", result.StandardOutput, StringComparison.Ordinal);
        // The remote group is signalled once ssh is gone; give it a moment to go, without waiting on a fixed sleep.
        List<string> survivors = ProcessesNaming(sshd.Root);
        for (int i = 0; i < 60 && survivors.Count > 0; i++)
        {
            await Task.Delay(250);
            survivors = ProcessesNaming(sshd.Root);
        }

        Assert.True(survivors.Count == 0, "processes of the timed-out build are still running: " + string.Join(" | ", survivors));
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/team/slow"));
    }

    [Fact]
    public async Task AnUnknownHostKeyIsRefusedUnlessTheProjectOptsOut()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string node = $"""<ContainerBuildNode Include="strict" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" />""";
        using var sandbox = new Sandbox(fixture, Project("team/strict", node).Replace("<ContainerBuildNodeAcceptUnknownHostKeys>true</ContainerBuildNodeAcceptUnknownHostKeys>", string.Empty, StringComparison.Ordinal));
        // A HOME of its own: an empty known_hosts, whatever this machine's user has seen before.
        sandbox.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "home")).FullName;

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0");
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC3002: The build node 'strict'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Host key verification failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Building image", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesSentToTheNodeCannotRunCommandsThere()
    {
        await using SshdProcess sshd = await SshdProcess.StartAsync();
        string marker = Path.Combine(Path.GetTempPath(), "mac-injected-" + Guid.NewGuid().ToString("N"));
        string workingDirectory = Path.Combine(sshd.Root, "work;touch " + marker + "-wd");
        string dotnet = "$(touch " + marker + "-dotnet)`touch " + marker + "-tick`'\"";
        string node = $"""<ContainerBuildNode Include="inject" Address="{sshd.Address}" RuntimeIdentifiers="linux-arm64" IdentityFile="{sshd.UserKey}" WorkingDirectory="{System.Security.SecurityElement.Escape(workingDirectory)}" DotnetPath="{System.Security.SecurityElement.Escape(dotnet)}" />""";
        using var sandbox = new Sandbox(fixture, Project("team/injected", node));

        ProcessResult result = await sandbox.PublishAsync("-p:ContainerImageTags=1.0", "-p:ContainerAnnotations=\"index:com.example.x=$(touch " + marker + "-annotation)\\;`touch " + marker + "-b`\"");
        output.WriteLine(result.Combined);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC3004: The build node 'inject'", result.StandardOutput, StringComparison.Ordinal);
        foreach (string suffix in new[] { "-wd", "-dotnet", "-tick", "-annotation", "-b" })
        {
            Assert.False(File.Exists(marker + suffix), $"{marker + suffix} was created: a value ran as a command on the node");
        }

        Assert.True(Directory.Exists(Path.Combine(sshd.Root, "work;touch " + marker + "-wd")), "the working directory was taken literally");
        Assert.Empty(await Skopeo.ListTagsAsync($"{fixture.Registry.Address}/team/injected"));
    }

    /// <summary>Command lines of running processes that mention <paramref name="folder"/>, sshd itself left out.</summary>
    private static List<string> ProcessesNaming(string folder) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return string.Empty; } catch (UnauthorizedAccessException) { return string.Empty; } })
            .Where(c => c.Contains(folder, StringComparison.Ordinal) && !c.StartsWith("sshd", StringComparison.Ordinal) && !c.StartsWith("/usr/sbin/sshd", StringComparison.Ordinal))
            .ToList();

    private static string ResolveOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"{tool} is not on PATH");
}
