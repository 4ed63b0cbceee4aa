using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MultiArchContainers.Tasks.Tests;

/// <summary>
/// What decides whether a compile or an image is reused must cover everything the compiler or the SDK's image builder
/// takes. Both lists are written out in the targets; these tests read the installed SDK's own targets and fail when it
/// passes something to Csc or CreateNewImage that the lists lack (a new SDK, or a parameter forgotten).
/// </summary>
public sealed partial class InputCoverageTests
{
    /// <summary>Csc parameters that say how the compiler runs, never what it makes.</summary>
    private static readonly HashSet<string> HowTheCompilerRuns = new(StringComparer.Ordinal)
    {
        "$(ProvideCommandLineArgs)", "$(SkipCompilerExecution)", "$(SharedCompilationId)", "$(UseHostCompilerIfAvailable)",
        "$(UseSharedCompilation)", "$(Utf8Output)", "$(VsSessionGuid)",
    };

    /// <summary>CreateNewImage parameters that say where the image goes, not what it is; the publish folder is hashed file by file.</summary>
    private static readonly HashSet<string> WhereTheImageGoes = new(StringComparer.Ordinal)
    {
        "$(PublishDir)", "$(ContainerArchiveOutputPath)", "$(ContainerRegistry)", "$(ContainerRepository)", "@(ContainerImageTags)",
    };

    private static async Task<string> InstalledSdkAsync()
    {
        string version = (await ProcessRunner.RunAsync("dotnet", ["--version"], SdkFolder())).StandardOutput.Trim();
        string line = (await ProcessRunner.RunAsync("dotnet", ["--list-sdks"])).StandardOutput.Split('\n').First(l => l.StartsWith(version + " ", StringComparison.Ordinal));
        return Path.Combine(line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)], version);
    }

    private static string SdkFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "sdk", "MultiArchContainers.Sdk.targets")))
            {
                return Path.Combine(dir.FullName, "sdk");
            }
        }

        throw new InvalidOperationException("sdk/ not found above the test folder.");
    }

    /// <summary>Every $(Property) and @(Item) the attributes of the <paramref name="task"/> element pass, besides literals.</summary>
    private static IEnumerable<string> Parameters(string targetsFile, string task) =>
        XDocument.Load(targetsFile).Descendants().Where(e => e.Name.LocalName == task).SelectMany(e => e.Attributes())
            .Where(a => a.Name.LocalName != "Condition")
            .SelectMany(a => Reference().Matches(a.Value).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="text"/> uses <paramref name="reference"/>, an item list also through a transform.</summary>
    private static bool Uses(string text, string reference) =>
        text.Contains(reference, StringComparison.Ordinal) || (reference[0] == '@' && text.Contains(reference[..^1] + "->", StringComparison.Ordinal));

    private static string TargetText(string file, string target) =>
        string.Join('\n', XDocument.Load(Path.Combine(SdkFolder(), file)).Descendants().Single(e => e.Name.LocalName == "Target" && (string?)e.Attribute("Name") == target)
            .DescendantsAndSelf().SelectMany(e => e.Attributes()).Select(a => a.Value));

    [Fact]
    public async Task TheCompileSignatureTakesEverythingTheCompilerIsGiven()
    {
        string roslyn = Path.Combine(await InstalledSdkAsync(), "Roslyn", "Microsoft.CSharp.Core.targets");
        string ours = TargetText("MultiArchContainers.Build.Compile.targets", "_MultiArchPrepareCompile");

        string[] parameters = [.. Parameters(roslyn, "Csc")];
        Assert.Contains("$(DefineConstants)", parameters);
        string[] missing = [.. parameters.Where(p => !HowTheCompilerRuns.Contains(p) && !Uses(ours, p))];
        Assert.True(missing.Length == 0, $"Csc takes what the compile signature does not: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task TheImageKeyTakesEverythingTheSdksImageBuilderIsGiven()
    {
        string containers = Path.Combine(await InstalledSdkAsync(), "Containers", "build", "Microsoft.NET.Build.Containers.targets");
        string ours = TargetText("MultiArchContainers.Build.Platform.targets", "_MultiArchFindPlatformImage");

        string[] parameters = [.. Parameters(containers, "CreateNewImage")];
        Assert.Contains("@(ContainerLabel)", parameters);
        string[] missing = [.. parameters.Where(p => !WhereTheImageGoes.Contains(p) && !Uses(ours, p))];
        Assert.True(missing.Length == 0, $"CreateNewImage takes what the image key does not: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"[$@]\([A-Za-z_][A-Za-z0-9_.\-]*\)")]
    private static partial Regex Reference();

    /// <summary>
    /// The per-RID image is made by QuietCreateNewImage with the parameters of the SDK's _PublishSingleContainer: every
    /// attribute and output of the installed SDK's CreateNewImage call is in ours, with the same value, and the task
    /// declares each of them (a parameter the SDK adds fails here, not silently in a user's build).
    /// </summary>
    [Fact]
    public async Task TheQuietImageStepPassesWhatTheSdksOwnPasses()
    {
        string sdkTargets = Path.Combine(await InstalledSdkAsync(), "Containers", "build", "Microsoft.NET.Build.Containers.targets");
        XElement theirs = XDocument.Load(sdkTargets).Descendants().Single(e => e.Name.LocalName == "Target" && (string?)e.Attribute("Name") == "_PublishSingleContainer")
            .Descendants().Single(e => e.Name.LocalName == "CreateNewImage");
        XElement ours = XDocument.Load(Path.Combine(SdkFolder(), "MultiArchContainers.Build.Platform.targets")).Descendants().Single(e => e.Name.LocalName == "QuietCreateNewImage");

        static Dictionary<string, string> Attributes(XElement e) => e.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value);
        static List<string> Outputs(XElement e) => e.Elements().Select(o => string.Join(' ', o.Attributes().Select(a => $"{a.Name.LocalName}={a.Value}"))).ToList();
        Dictionary<string, string> mine = Attributes(ours);
        Assert.Equal("$(ContainerCustomTasksAssembly)", mine["SdkTasksAssembly"]);
        mine.Remove("SdkTasksAssembly");
        Assert.Equal(Attributes(theirs).OrderBy(a => a.Key), mine.OrderBy(a => a.Key));
        Assert.Equal(Outputs(theirs), Outputs(ours));
        string[] declared = typeof(QuietCreateNewImage).GetProperties().Select(p => p.Name).ToArray();
        Assert.All(Attributes(theirs).Keys.Concat(theirs.Elements().Select(o => (string)o.Attribute("TaskParameter")!)), name => Assert.Contains(name, declared));
    }
}
