using MultiArchContainers.Oci.Processes;

namespace MultiArchContainers.Oci.Tests;

/// <summary>The one process launcher, with real programs (sh, cat, sleep).</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public async Task BothOutputsAndTheExitCodeComeBack()
    {
        ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart("sh", ["-c", "echo out; echo err >&2; exit 3"]), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((ChildProcessEnd.Exited, 3, "out\n", "err\n"), (result.End, result.ExitCode, result.Output, result.Error));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task AProgramThatIsNotInstalledIsNull()
    {
        Assert.Null(await ChildProcess.RunAsync(new ChildProcessStart("mac-no-such-program", []), CancellationToken.None));
    }

    [Fact]
    public async Task InputIsWrittenAndEveryLineIsSeenAsItComes()
    {
        var lines = new List<string>();
        ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart("sh", ["-c", "cat; echo done >&2"])
        {
            Input = (stream, token) => stream.WriteAsync("a\nb\n"u8.ToArray(), token).AsTask(),
            OnLine = line => { lock (lines) { lines.Add(line); } },
        }, CancellationToken.None);

        Assert.True(result!.Succeeded);
        Assert.Equal("a\nb\n", result.Output);
        Assert.Equal(["a", "b", "done"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AtTheTimeLimitTheChildAndItsChildrenEnd()
    {
        string marker = Path.Combine(Path.GetTempPath(), $"mac-child-{Guid.NewGuid():N}");
        // The grandchild would write the marker after 3 seconds if it outlived the limit.
        ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart("sh", ["-c", $"(sleep 3; touch {marker}) & sleep 60"])
        {
            Timeout = TimeSpan.FromMilliseconds(500),
        }, CancellationToken.None);

        Assert.Equal(ChildProcessEnd.TimedOut, result!.End);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task CancellationEndsTheChildAndThrows()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChildProcess.RunAsync(new ChildProcessStart("sleep", ["60"]), cancel.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AChildThatClosesItsInputEarlyIsSaidSo()
    {
        ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart("sh", ["-c", "exec 0<&-; sleep 5"])
        {
            Input = async (stream, token) =>
            {
                await Task.Delay(300, token);
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 64; i++)
                {
                    await stream.WriteAsync(block, token);
                }
            },
        }, CancellationToken.None);

        Assert.Equal(ChildProcessEnd.InputClosed, result!.End);
    }

    [Fact]
    public async Task AVariableCanBeSetOrRemovedForTheChild()
    {
        Environment.SetEnvironmentVariable("MAC_CHILD_TEST_REMOVED", "present");
        try
        {
            ChildProcessResult? result = await ChildProcess.RunAsync(new ChildProcessStart("sh", ["-c", "echo \"${MAC_CHILD_TEST_SET}|${MAC_CHILD_TEST_REMOVED:-gone}\""])
            {
                Environment = new Dictionary<string, string?> { ["MAC_CHILD_TEST_SET"] = "set", ["MAC_CHILD_TEST_REMOVED"] = null },
            }, CancellationToken.None);

            Assert.Equal("set|gone\n", result!.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MAC_CHILD_TEST_REMOVED", null);
        }
    }
}
