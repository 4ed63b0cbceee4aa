using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Shared plumbing of the tasks: runs async work with Ctrl+C cancellation and turns known failures
/// into coded MSBuild errors, so no exception escapes <see cref="Execute"/>.
/// </summary>
public abstract class MultiArchTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        bool canceled = false;
        try
        {
            ExecuteAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (MultiArchException ex)
        {
            Report(ex.Diagnostic);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // MSBuild reports the cancellation itself. Tags are written last, so a canceled push moved none.
            canceled = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not a known failure: still a coded error, with what the exception said, rather than a crash of the build.
            Report(Diagnostic.Error(MessageIds.UnexpectedFailure, GetType().Name, $"{ex.GetType().Name}: {ex.Message}"));
            Detail(MessageImportance.Low, ex.ToString());
        }

        return !canceled && !Log.HasLoggedErrors;
    }

    protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every text of these tasks reaches the log here, through <see cref="SafeText"/>: values a registry, an archive, a
    /// file or an annotation controls can neither drive the console nor start a line of their own.
    /// </summary>
    private protected void Report(Diagnostic diagnostic)
    {
        string text = SafeText.Escape(diagnostic.Text);
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                Log.LogError(null, diagnostic.Code, null, null, 0, 0, 0, 0, text);
                break;
            case DiagnosticSeverity.Warning:
                Log.LogWarning(null, diagnostic.Code, null, null, 0, 0, 0, 0, text);
                break;
            default:
                Log.LogMessage(MessageImportance.High, text);
                break;
        }
    }

    protected void Info(string message) => Detail(MessageImportance.High, message);

    /// <summary>
    /// A MAC1019 warning for every older upload variable set (<see cref="UploadVariables"/>); called by the one task of
    /// a publish or merge that runs once, so the warning shows once.
    /// </summary>
    protected void ReportDeprecatedVariables()
    {
        foreach (Diagnostic warning in UploadVariables.Deprecated(Environment.GetEnvironmentVariable))
        {
            Report(warning);
        }
    }

    /// <summary>A message at <paramref name="importance"/>, through <see cref="SafeText"/> (multi-line text line by line).</summary>
    protected void Detail(MessageImportance importance, string message)
    {
        foreach (string line in message.Split('\n'))
        {
            Log.LogMessage(importance, SafeText.Escape(line.TrimEnd('\r')));
        }
    }

    /// <summary>
    /// A client for <paramref name="registry"/> whose retries after transient answers show in the log. The registry the
    /// task pushes to (<paramref name="pushRegistry"/>) gets the push credentials of the environment; any other only
    /// the pull ones, as the .NET SDK does.
    /// </summary>
    private protected RegistryClient CreateClient(string registry, string pushRegistry) =>
        new(registry, role: RegistryClientPool.RoleOf(registry, pushRegistry, named: true)) { OnRetry = Info };

    /// <summary>A client for a registry the task only reads from (pull credentials).</summary>
    private protected IRegistryClient PullClient(string registry) => CreateClient(registry, pushRegistry: string.Empty);

    /// <summary>
    /// Clients for a merge: <paramref name="pushRegistry"/> with the push credentials of the environment,
    /// <paramref name="named"/> (what the project names) with the pull ones, any other only what the docker config gives.
    /// </summary>
    private protected RegistryClientPool ClientPool(string pushRegistry, IEnumerable<string> named) =>
        new(pushRegistry, named, (registry, role) => new RegistryClient(registry, role: role) { OnRetry = Info });
}
