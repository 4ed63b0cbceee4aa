namespace MultiArchContainers.Tasks;

/// <summary>
/// Removes the working folders that earlier publishes of the project left when they failed or were stopped, once
/// they are old enough that no publish can still use them (<see cref="RunFolders"/>). A publish that succeeds removes
/// its own folder itself.
/// </summary>
public sealed class RemoveStaleRunFolders : MultiArchTask
{
    /// <summary>The folder holding the <c>run-*</c> folders (obj/multiarch/&lt;configuration&gt;/).</summary>
    [Required]
    public string RunsFolder { get; set; } = string.Empty;

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        int removed = RunFolders.RemoveStale(RunsFolder, DateTimeOffset.UtcNow);
        if (removed > 0)
        {
            Detail(MessageImportance.Low, $"Removed {removed} working folder(s) of earlier publishes that did not finish, below {RunsFolder}.");
        }

        return Task.CompletedTask;
    }
}
