namespace MultiArchContainers.Tasks.Tests;

/// <summary>
/// Single targets of sdk/MultiArchContainers.Sdk.targets, run by the real MSBuild on a sandbox project that imports
/// them from the source tree and loads the task assembly this test project built.
/// </summary>
[Collection(TaskRegistryCollection.Name)]
public sealed class TargetTests(TaskRegistryFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = IsolatedFolder();

    /// <summary>A folder whose empty Directory.* files keep the repository's own out of the test projects.</summary>
    private static string IsolatedFolder()
    {
        string folder = Directory.CreateTempSubdirectory("mac-targets-").FullName;
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(folder, name), "<Project />");
        }

        return folder;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string SdkFolder
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "sdk", "MultiArchContainers.Sdk.targets");
                if (File.Exists(candidate))
                {
                    return Path.GetDirectoryName(candidate)!;
                }
            }

            throw new InvalidOperationException("sdk/MultiArchContainers.Sdk.targets not found above the test folder.");
        }
    }

    private string WriteProject(string properties, string items = "", string targets = "")
    {
        string path = Path.Combine(_folder, "app.csproj");
        File.WriteAllText(path, $"""
            <Project>
              <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <_MultiArchTasksAssembly>{typeof(PlanMultiArch).Assembly.Location}</_MultiArchTasksAssembly>
                <ContainerRegistry>{fixture.Registry.Address}</ContainerRegistry>
                <ContainerRepository>targets/app</ContainerRepository>
                <ContainerBaseImage>{fixture.BaseImage}</ContainerBaseImage>
                {properties}
              </PropertyGroup>
              <ItemGroup>{items}</ItemGroup>
              {targets}
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <Import Project="{SdkFolder}/MultiArchContainers.Sdk.targets" />
            </Project>
            """);
        return path;
    }

    private async Task<ProcessResult> MSBuildAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "dotnet",
            ["msbuild", "-nologo", .. arguments],
            _folder,
            new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        output.WriteLine(result.Combined);
        return result;
    }

    [Fact]
    public async Task ContainerRidsReachRestoreButRidsWithoutAPlatformDoNot()
    {
        string project = WriteProject("<RuntimeIdentifiers>win-x64</RuntimeIdentifiers><ContainerRuntimeIdentifiers>linux-x64; osx-arm64;linux-arm64</ContainerRuntimeIdentifiers>");

        ProcessResult result = await MSBuildAsync(project, "-getProperty:RuntimeIdentifiers");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("win-x64;linux-x64;linux-arm64", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task ProjectRuntimeIdentifiersAreLeftAloneWithoutContainerRids()
    {
        string project = WriteProject("<RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>");

        ProcessResult result = await MSBuildAsync(project, "-getProperty:RuntimeIdentifiers");

        Assert.Equal("linux-x64;linux-arm64", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task PlanTargetReturnsPlatformItems()
    {
        string project = WriteProject("<ContainerRuntimeIdentifiers>linux-arm64;linux-x64</ContainerRuntimeIdentifiers>");

        ProcessResult result = await MSBuildAsync(project, "-t:_MultiArchPlan", "-getItem:_MultiArchPlatform");

        Assert.True(result.ExitCode == 0, result.Combined);
        JsonArray items = JsonNode.Parse(result.StandardOutput)!["Items"]!["_MultiArchPlatform"]!.AsArray();
        Assert.Equal(["linux-arm64", "linux-x64"], items.Select(i => i!["Identity"]!.GetValue<string>()));
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], items.Select(i => i!["Platform"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PlanTargetStopsOnBadAnnotationsWithCodes()
    {
        string project = WriteProject(
            "<ContainerRuntimeIdentifiers>linux-x64</ContainerRuntimeIdentifiers>",
            """<ContainerIndexAnnotation Include="bad key" Value="v" /><ContainerIndexAnnotation Include="no.value" />""");

        ProcessResult result = await MSBuildAsync(project, "-t:PublishMultiArch", "-v:d");

        Assert.NotEqual(0, result.ExitCode);
        // Detailed logs name every target that runs: the plan ran, no per-RID build did.
        Assert.Empty(result.NotPrinted("error MAC2002", "error MAC2003", "Target \"_MultiArchPlan"));
        Assert.Empty(result.Printed("Target \"_MultiArchBuildPlatformImage", "Target \"_MultiArchBuildImages"));
        // Nothing was built: no image archive and no kept image (the publish lock and the input state may be there).
        string multiarch = Path.Combine(_folder, "obj", "multiarch");
        Assert.Empty(Directory.Exists(multiarch) ? Directory.GetFiles(multiarch, "*.tar", SearchOption.AllDirectories) : []);
        Assert.False(Directory.Exists(Path.Combine(multiarch, "Release", "cache")) || Directory.Exists(Path.Combine(multiarch, "Debug", "cache")));
    }

    [Fact]
    public async Task ThePlanFileCarriesAnnotationValuesByteForByte()
    {
        string project = WriteProject(
            "<ContainerRuntimeIdentifiers>linux-x64</ContainerRuntimeIdentifiers>",
            """<ContainerIndexAnnotation Include="com.example.odd" Value="a%253Bb%2525c;d" />""");

        ProcessResult result = await MSBuildAsync(project, "-t:_MultiArchPlan");

        Assert.True(result.ExitCode == 0, result.Combined);
        string plan = Assert.Single(Directory.GetFiles(Path.Combine(_folder, "obj", "multiarch", "Debug"), "plan.json", SearchOption.AllDirectories));
        Assert.Contains("\"value\":\"a%3Bb%25c;d\"", File.ReadAllText(plan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishPlatformImageStopsOnAnUnknownRidBeforeAnyBuild()
    {
        string project = WriteProject(string.Empty);

        ProcessResult result = await MSBuildAsync(project, "-t:PublishPlatformImage", "-p:ContainerRuntimeIdentifier=osx-arm64", "-v:d");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error MAC2006", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Target \"_MultiArchBuildPlatformImage", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeMultiArchWithoutSourcesIsMac2021AndUserTargetsJoinItsDependsOnList()
    {
        string project = WriteProject(
            "<MergeMultiArchDependsOn>_UserBeforeMerge</MergeMultiArchDependsOn>",
            targets: """<Target Name="_UserBeforeMerge"><Message Importance="high" Text="user target ran" /></Target>""");

        ProcessResult result = await MSBuildAsync(project, "-t:MergeMultiArch");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("user target ran", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("error MAC2021", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPublicTargetHasADependsOnListThatKeepsTheUsersEntries()
    {
        string project = WriteProject("<PublishMultiArchDependsOn>_A</PublishMultiArchDependsOn><PublishPlatformImageDependsOn>_B</PublishPlatformImageDependsOn><MergeMultiArchDependsOn>_C</MergeMultiArchDependsOn>");

        ProcessResult result = await MSBuildAsync(project, "-getProperty:PublishMultiArchDependsOn", "-getProperty:PublishPlatformImageDependsOn", "-getProperty:MergeMultiArchDependsOn");

        JsonObject properties = JsonNode.Parse(result.StandardOutput)!["Properties"]!.AsObject();
        Assert.StartsWith("_A;", properties["PublishMultiArchDependsOn"]!.GetValue<string>().Trim(), StringComparison.Ordinal);
        Assert.StartsWith("_B;", properties["PublishPlatformImageDependsOn"]!.GetValue<string>().Trim(), StringComparison.Ordinal);
        Assert.StartsWith("_C;", properties["MergeMultiArchDependsOn"]!.GetValue<string>().Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFoldersOfEarlierPublishesThatDidNotFinishGoOnceADayOld()
    {
        string project = WriteProject(string.Empty);
        string runs = Path.Combine(_folder, "obj", "multiarch", "Debug");
        string old = Directory.CreateDirectory(Path.Combine(runs, "run-old")).FullName;
        string recent = Directory.CreateDirectory(Path.Combine(runs, "run-recent")).FullName;
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));

        ProcessResult result = await MSBuildAsync(project, "-t:_MultiArchRemoveStaleRunFolders");

        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(recent));
        ProcessResult steps = await MSBuildAsync(project, "-getProperty:PublishMultiArchDependsOn");
        Assert.Contains("_MultiArchRemoveStaleRunFolders", steps.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachPublishWorksInAFolderOfItsOwn()
    {
        string project = WriteProject(string.Empty);

        ProcessResult first = await MSBuildAsync(project, "-getProperty:_MultiArchIntermediateDir");
        ProcessResult second = await MSBuildAsync(project, "-getProperty:_MultiArchIntermediateDir");

        string runs = Path.Combine(_folder, "obj", "multiarch", "Debug") + Path.DirectorySeparatorChar;
        Assert.StartsWith(runs + "run-", first.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.StartsWith(runs + "run-", second.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.NotEqual(first.StandardOutput.Trim(), second.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("", "true")]
    [InlineData("<ContainerGenerateLabels>false</ContainerGenerateLabels>", "false")]
    [InlineData("<ContainerGenerateAnnotations>false</ContainerGenerateAnnotations>", "false")]
    [InlineData("<ContainerGenerateLabels>false</ContainerGenerateLabels><ContainerGenerateAnnotations>true</ContainerGenerateAnnotations>", "true")]
    public async Task GeneratedAnnotationsAreOnByDefaultAndFollowTheSdksLabelSwitch(string properties, string expected)
    {
        string project = WriteProject(properties);

        ProcessResult result = await MSBuildAsync(project, "-getProperty:ContainerGenerateAnnotations");

        Assert.Equal(expected, result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("-p:ContainerPublishMultiArch=true", "-p:_IsPublishing=true", "false")]
    [InlineData("-p:ContainerPublishMultiArch=true", "-p:_IsPublishing=false", "true")] // an IDE's publish, a design-time build
    [InlineData("-p:ContainerPublishMultiArch=false", "-p:_IsPublishing=true", "true")]
    [InlineData("-p:ContainerPublishMultiArch=true", "-p:_IsPublishing=true -p:RuntimeIdentifier=linux-x64", "true")]
    [InlineData("-p:ContainerPublishMultiArch=true", "-p:_IsPublishing=true -p:ContainerRuntimeIdentifier=linux-x64", "true")]
    [InlineData("-p:ContainerPublishMultiArch=true", "-p:_IsPublishing=true -p:_MultiArchInnerBuild=true", "true")]
    public async Task UnderDotnetPublishContainerPublishMultiArchMakesTheImageTheWholePublish(string property, string context, string publishable)
    {
        string project = WriteProject("<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>");

        ProcessResult result = await MSBuildAsync([project, property, .. context.Split(' '), "-getProperty:IsPublishable"]);

        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.Equal(publishable, result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("", "", "CurrentRuntime", "AssemblyTaskFactory", "")]
    [InlineData("Core", "17.11.4", "CurrentRuntime", "AssemblyTaskFactory", "")]
    [InlineData("Full", "18.0.5", "NET", "TaskHostFactory", "")]
    [InlineData("Full", "18.3.0", "NET", "TaskHostFactory", "")]
    [InlineData("Full", "17.14.23", "NET", "TaskHostFactory", "true")]
    [InlineData("Mono", "16.10.1", "NET", "TaskHostFactory", "true")]
    public async Task TheTasksRunInProcessOnDotnetAndInADotnetTaskHostUnderVisualStudio(string runtimeType, string version, string runtime, string factory, string unavailable)
    {
        string project = WriteProject(runtimeType.Length == 0 ? string.Empty
            : $"<_MultiArchMSBuildRuntimeType>{runtimeType}</_MultiArchMSBuildRuntimeType><_MultiArchMSBuildVersion>{version}</_MultiArchMSBuildVersion>");

        ProcessResult result = await MSBuildAsync(project, "-getProperty:_MultiArchTaskRuntime", "-getProperty:_MultiArchTaskFactory", "-getProperty:_MultiArchTasksUnavailable", "-getProperty:MSBuildRuntimeType");

        Assert.True(result.ExitCode == 0, result.Combined);
        JsonNode properties = JsonNode.Parse(result.StandardOutput)!["Properties"]!;
        Assert.Equal("Core", properties["MSBuildRuntimeType"]!.GetValue<string>());
        Assert.Equal((runtime, factory, unavailable), (
            properties["_MultiArchTaskRuntime"]!.GetValue<string>(),
            properties["_MultiArchTaskFactory"]!.GetValue<string>(),
            properties["_MultiArchTasksUnavailable"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AsUnderVisualStudio2026TheTasksRunInADotnetTaskHost()
    {
        string project = WriteProject("<ContainerRuntimeIdentifiers>linux-arm64;linux-x64</ContainerRuntimeIdentifiers>"
            + "<_MultiArchMSBuildRuntimeType>Full</_MultiArchMSBuildRuntimeType><_MultiArchMSBuildVersion>18.0.5</_MultiArchMSBuildVersion>");

        string log = Path.Combine(_folder, "taskhost.log");
        ProcessResult result = await MSBuildAsync(project, "-t:_MultiArchPlan", "-getItem:_MultiArchPlatform", $"-flp:logfile={log};verbosity=detailed");

        Assert.True(result.ExitCode == 0, result.Combined);
        Assert.Equal(["linux-arm64", "linux-x64"], JsonNode.Parse(result.StandardOutput)!["Items"]!["_MultiArchPlatform"]!.AsArray().Select(i => i!["Identity"]!.GetValue<string>()));
        Assert.Matches("Launching task \"PlanMultiArch\" from assembly \".*MultiArchContainers.Tasks.dll\" in an external task host", File.ReadAllText(log));
    }

    [Fact]
    public async Task OlderVisualStudioStopsWithMac4011BeforeAnyTaskLoads()
    {
        string project = WriteProject("<ContainerRuntimeIdentifiers>linux-x64</ContainerRuntimeIdentifiers>"
            + "<_MultiArchMSBuildRuntimeType>Full</_MultiArchMSBuildRuntimeType><_MultiArchMSBuildVersion>17.14.23</_MultiArchMSBuildVersion>");

        foreach (string target in new[] { "PublishMultiArch", "PublishPlatformImage", "MergeMultiArch" })
        {
            ProcessResult result = await MSBuildAsync(project, $"-t:{target}", "-p:ContainerRuntimeIdentifier=linux-x64", "-p:ContainerMergeSources=x");

            Assert.Equal(1, result.ExitCode);
            string expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, Diagnostic.GetTemplate(MessageIds.TaskHostUnavailable), "Full", "17.14.23");
            Assert.Contains("error " + expected, result.StandardOutput, StringComparison.Ordinal);
            // Nothing else ran: no other error, and no attempt to load a task (MSB4062).
            Assert.Equal(["MAC4011"], System.Text.RegularExpressions.Regex.Matches(result.StandardOutput, @"error (\w+\d+):").Select(m => m.Groups[1].Value).Distinct());
        }
    }
}
