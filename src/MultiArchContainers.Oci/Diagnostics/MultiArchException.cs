namespace MultiArchContainers.Oci.Diagnostics;

/// <summary>A known failure that carries its coded diagnostic; tasks turn it into an MSBuild error.</summary>
internal class MultiArchException : Exception
{
    public MultiArchException(Diagnostic diagnostic, Exception? inner = null)
        : base(diagnostic.ToString(), inner)
    {
        Diagnostic = diagnostic;
    }

    public MultiArchException(string messageId, params object?[] args)
        : this(Diagnostic.Error(messageId, args))
    {
    }

    public Diagnostic Diagnostic { get; }
}
