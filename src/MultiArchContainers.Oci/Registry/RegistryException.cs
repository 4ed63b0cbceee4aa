namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// A registry's refusal: its coded diagnostic plus the HTTP status and the distribution error code (such as
/// <c>MANIFEST_UNKNOWN</c>) when the registry gave them, so callers decide on those, never on message text.
/// </summary>
internal sealed class RegistryException : MultiArchException
{
    public RegistryException(Diagnostic diagnostic, HttpStatusCode? status, string? errorCode, Exception? inner = null)
        : base(diagnostic, inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status of the answer; null when there was no answer.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The first <c>errors[].code</c> of the answer's body, when it had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Whether the registry said the thing asked for does not exist.</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
