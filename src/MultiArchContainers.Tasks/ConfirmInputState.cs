namespace MultiArchContainers.Tasks;

/// <summary>
/// After the per-RID builds: checks that every file is still what the state taken before them holds. A file saved
/// while they ran may have reached some images and not others (MAC2103); the next publish builds from it again, since
/// the images are recorded with the state from before.
/// </summary>
public sealed class ConfirmInputState : MultiArchTask
{
    /// <summary>The state the publish took before building.</summary>
    [Required]
    public string StateFile { get; set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(StateFile) && InputState.Read(StateFile).ChangedSince() is { Count: > 0 } changed)
        {
            string named = string.Join(", ", changed.Take(5).Select(f => $"'{f}'")) + (changed.Count > 5 ? $" and {changed.Count - 5} more" : string.Empty);
            Report(Diagnostic.Warning(MessageIds.InputsChangedDuringPublish, named));
        }

        return Task.CompletedTask;
    }
}
