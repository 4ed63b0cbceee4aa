using System.Reflection;

namespace MultiArchContainers.Tasks;

/// <summary>
/// A build engine that passes everything to the real one, except that a message of high importance becomes one of
/// normal importance: at the default verbosity it is not shown, at -v:n and in a binary log it is. Warnings and errors
/// pass unchanged.
/// </summary>
internal class QuietBuildEngine : DispatchProxy
{
    private IBuildEngine10 _inner = null!;

    /// <summary>An engine that is <paramref name="inner"/> in everything but the importance of its messages.</summary>
    public static IBuildEngine10 Around(IBuildEngine10 inner)
    {
        IBuildEngine10 proxy = Create<IBuildEngine10, QuietBuildEngine>();
        ((QuietBuildEngine)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name == nameof(IBuildEngine.LogMessageEvent) && args is [BuildMessageEventArgs { Importance: MessageImportance.High } message])
        {
            args = [new BuildMessageEventArgs(message.Message, message.HelpKeyword, message.SenderName, MessageImportance.Normal, message.Timestamp)];
        }

        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
