namespace MultiArchContainers.Tasks;

/// <summary>
/// Just before CoreCompile: the compile's signature from what the compiler would get (<see cref="CompileRecord"/>),
/// then <see cref="CompilePreparer"/>: the shared compile's outputs when it serves this RID (compile once), else a
/// compile whenever the inputs changed by content.
/// </summary>
public sealed class PrepareCompile : MultiArchTask
{
    /// <summary>Item metadata the compiler reads besides the path.</summary>
    private static readonly string[] CompilerMetadata = ["Aliases", "EmbedInteropTypes", "LogicalName", "WithCulture", "Access", "Culture"];

    /// <summary>Every compiler setting: Include the name, <c>Value</c> the value.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>Every file the compiler reads, in order; <c>Role</c> names the compiler parameter.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>The outputs by role: Include the role (Assembly, RefAssembly, Symbols, Documentation), <c>Value</c> the path.</summary>
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>The compile's intermediate folder, as written and in full.</summary>
    public string[] IntermediatePaths { get; set; } = [];

    /// <summary>Folders whose files never change in place (NuGet packages, the SDK's packs): compared by size and time.</summary>
    public string[] ImmutableRoots { get; set; } = [];

    /// <summary>This compile's record.</summary>
    [Required]
    public string RecordFile { get; set; } = string.Empty;

    /// <summary>The shared compile's record; empty in the shared compile itself.</summary>
    public string SharedRecordFile { get; set; } = string.Empty;

    /// <summary>The project's name, for the log.</summary>
    public string ProjectName { get; set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        InputKey signature = CompileRecord.SignatureOf(
            Settings.Select(s => KeyValuePair.Create(s.ItemSpec, s.GetMetadata(ItemMetadata.Value))),
            Files.Where(f => f.ItemSpec.Length > 0).Select(f => new CompileInput(f.GetMetadata("Role"), f.GetMetadata("FullPath"), string.Join('|', CompilerMetadata.Select(f.GetMetadata)))),
            IntermediatePaths,
            ImmutableRoots);
        (CompilePreparer.Outcome outcome, string? notShared) = CompilePreparer.Prepare(
            signature, Outputs.ToDictionary(o => o.ItemSpec, o => o.GetMetadata(ItemMetadata.Value), StringComparer.Ordinal), RecordFile, SharedRecordFile);
        Detail(outcome == CompilePreparer.Outcome.Shared ? MessageImportance.Normal : MessageImportance.Low, outcome switch
        {
            CompilePreparer.Outcome.Shared => $"{ProjectName}: compiled once for every RID; this RID's compile would read the same inputs, so it takes that assembly",
            CompilePreparer.Outcome.Compile => $"{ProjectName}: compiling, because its compile inputs changed",
            _ => $"{ProjectName}: its compile inputs are those of its assembly",
        });
        if (notShared is not null)
        {
            Detail(MessageImportance.Normal, $"{ProjectName}: this RID compiles on its own: {notShared} (compared with the compile without a RID)");
        }
        return Task.CompletedTask;
    }
}
