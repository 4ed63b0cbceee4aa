namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// The <c>multiarch</c> command as a new user gets it: installed with <c>dotnet tool install --tool-path</c> from the
/// packages <c>./build.sh pack</c> wrote, into a folder and a NuGet cache of its own; and a registry holding eight
/// single-platform images.
/// </summary>
public sealed class ToolFixture : IAsyncLifetime
{
    public RegistryProcess Registry { get; private set; } = null!;

    /// <summary>A registry that asks for basic auth (<see cref="TestCredentials"/>).</summary>
    public RegistryProcess AuthRegistry { get; private set; } = null!;

    public string Root { get; private set; } = null!;

    /// <summary>The installed command.</summary>
    public string Command => Path.Combine(Root, "tools", "multiarch");

    /// <summary>registry/repository:tag of the eight images, one per platform of <see cref="BaseImageSeeder.EightPlatforms"/>.</summary>
    public IReadOnlyList<string> Sources { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Root = Directory.CreateTempSubdirectory("mac-tool-").FullName;
        (_, string version) = RepositoryLayout.FindSdkPackage();
        ProcessResult install = await ProcessRunner.RunAsync(
            "dotnet",
            ["tool", "install", "MultiArchContainers.Tool", "--version", version, "--tool-path", Path.Combine(Root, "tools"),
             "--add-source", RepositoryLayout.PackagesFolder, "--ignore-failed-sources"],
            workingDirectory: Root,
            environment: new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool install failed; run ./build.sh pack first.\n{install.Combined}");
        }

        Registry = await RegistryProcess.StartAsync();
        AuthRegistry = await RegistryProcess.StartAsync(basicAuth: true);
        Sources = await BaseImageSeeder.SeedPlatformsAsync(Registry.Address, "fanout/app");
    }

    /// <summary>
    /// Runs the installed command with standard error redirected (no progress line), never through a shell, and writes
    /// the command line, exit code and output to the test's log.
    /// </summary>
    public async Task<ProcessResult> RunAsync(
        ITestOutputHelper output, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            Command, arguments, workingDirectory: Root, environment: environment, timeout: TimeSpan.FromMinutes(2));
        output.WriteLine($"multiarch {string.Join(' ', arguments)}\nexit {result.ExitCode}\n{result.Combined}");
        return result;
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        await AuthRegistry.DisposeAsync();
        TestFolders.DeleteQuietly(Root);
    }
}
