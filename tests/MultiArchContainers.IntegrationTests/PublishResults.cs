namespace MultiArchContainers.IntegrationTests;

/// <summary>The outcome of a <c>dotnet publish</c>, written to the test's log and then asserted.</summary>
internal static class PublishResults
{
    public static ProcessResult Succeeded(this ProcessResult result, ITestOutputHelper output)
    {
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, $"dotnet publish failed ({result.ExitCode}):\n{result.Combined}");
        return result;
    }

    public static ProcessResult Failed(this ProcessResult result, ITestOutputHelper output)
    {
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode != 0, $"dotnet publish was expected to fail:\n{result.Combined}");
        return result;
    }
}
