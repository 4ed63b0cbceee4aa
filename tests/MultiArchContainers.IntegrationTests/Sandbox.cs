using System.Xml.Linq;

namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// A sealed project folder: its own global.json, empty Directory.Build.* so nothing of this repository leaks in,
/// a nuget.config that adds only the folder feed (the machine's feeds serve the SDK's own packs), the shared
/// private NuGet cache, and an environment without CI or MSBuild variables.
/// </summary>
public sealed class Sandbox : IDisposable
{
    private static readonly string[] ScrubbedPrefixes = ["MSBUILD", "MSBuild", "DOTNET_CONTAINER_", "SDK_CONTAINER_", "NUGET_", "GITHUB_", "TF_BUILD", "BUILD_", "CI", "VSTEST_", "DOCKER_CONFIG", "SOURCE_DATE_EPOCH"];

    private readonly PublishFixture _fixture;

    public Sandbox(PublishFixture fixture, string projectXml, string? globalJsonMsbuildSdks = null)
    {
        _fixture = fixture;
        Folder = Directory.CreateTempSubdirectory("mac-sandbox-").FullName;
        string msbuildSdks = globalJsonMsbuildSdks is null ? string.Empty : $", \"msbuild-sdks\": {{ {globalJsonMsbuildSdks} }}";
        File.WriteAllText(Path.Combine(Folder, "global.json"), $$"""{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" }{{msbuildSdks}} }""");
        File.WriteAllText(Path.Combine(Folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(Folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(Folder, "Directory.Packages.props"), "<Project />");
        // The package under test comes from the fixture's folder feed, beside the machine's own sources.
        new XDocument(new XElement("configuration", new XElement("packageSources",
            new XElement("add", new XAttribute("key", "multiarch-under-test"), new XAttribute("value", fixture.Feed))))).Save(Path.Combine(Folder, "nuget.config"));
        File.WriteAllText(Path.Combine(Folder, "Program.cs"), "System.Console.WriteLine(\"hello\");\n");
        File.WriteAllText(ProjectPath, projectXml);
    }

    public string Folder { get; }

    /// <summary>
    /// A folder beside the project for what a test reads back (copied images, layouts): every file in the project's
    /// folder is an input of its build, so anything written there makes the next publish build again.
    /// </summary>
    public string Scratch => Directory.CreateDirectory(Folder + "-scratch").FullName;

    public string ProjectPath => Path.Combine(Folder, "app.csproj");

    /// <summary>Extra environment for the next runs (e.g. DOCKER_CONFIG).</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public Task<ProcessResult> PublishAsync(params string[] extraArguments) =>
        DotnetAsync(["publish", ProjectPath, "-t:PublishMultiArch", "-nologo", "-v:n", .. extraArguments]);

    public Task<ProcessResult> DotnetAsync(IEnumerable<string> arguments) => RunAsync("dotnet", arguments);

    /// <summary>Runs <paramref name="program"/> in the project folder with the sandbox's environment (and <paramref name="workingDirectory"/> instead, when given).</summary>
    public async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (ScrubbedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                environment[name] = null;
            }
        }

        environment["NUGET_PACKAGES"] = _fixture.NuGetPackages;
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOCKER_CONFIG"] = Path.Combine(Folder, ".docker");
        foreach ((string key, string? value) in Environment)
        {
            environment[key] = value;
        }

        return await ProcessRunner.RunAsync(program, arguments, workingDirectory ?? Folder, environment, TimeSpan.FromMinutes(8));
    }

    public void Dispose()
    {
        TestFolders.DeleteQuietly(Folder, Folder + "-scratch");
    }
}
