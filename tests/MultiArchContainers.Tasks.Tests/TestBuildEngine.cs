using System.Collections;
using Microsoft.Build.Framework;

namespace MultiArchContainers.Tasks.Tests;

/// <summary>Collects what a task logs, so tests can assert on codes and messages.</summary>
public sealed class TestBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public IEnumerable<string?> ErrorCodes => Errors.Select(e => e.Code);

    public string Log => string.Join('\n', Errors.Select(e => $"error {e.Code}: {e.Message}")
        .Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}"))
        .Concat(Messages.Select(m => m.Message)));

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
}
