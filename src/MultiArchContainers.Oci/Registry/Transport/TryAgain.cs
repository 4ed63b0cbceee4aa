namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>An answer that says "try again later": what it was, and the registry's Retry-After when it gave one.</summary>
internal sealed record TryAgain(string Answer, TimeSpan? RetryAfter = null);
