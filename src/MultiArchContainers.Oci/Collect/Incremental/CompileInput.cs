namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// One file a compile reads, as the compiler gets it: its role (the compiler parameter: Sources, References,
/// Analyzers, …), its path, and the item metadata the compiler uses (aliases, resource names).
/// </summary>
internal sealed record CompileInput(string Role, string Path, string Metadata);
