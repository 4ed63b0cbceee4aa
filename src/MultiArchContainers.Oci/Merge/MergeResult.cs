using MultiArchContainers.Oci.Push;

namespace MultiArchContainers.Oci.Merge;

/// <summary>What a merge did: the index pushed or written (null for a dry run), and where an archive went.</summary>
internal sealed record MergeResult(PublishedIndex? Published, string? ArchivePath, ImageIndex Index);
