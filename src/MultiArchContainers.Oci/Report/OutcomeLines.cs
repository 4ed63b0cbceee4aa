namespace MultiArchContainers.Oci.Report;

/// <summary>The lines that tell what a publish or merge did with its index, the same from the tasks and the command.</summary>
internal static class OutcomeLines
{
    /// <summary>The index went into an OCI archive, under its tags and each image's own tags.</summary>
    public static string ArchiveWritten(PublishedIndex index, IEnumerable<string> tags, string path) =>
        $"Wrote image index {index.Descriptor.Digest} with {index.Images.Count} manifest(s) as "
        + $"{string.Join(", ", tags.Concat(index.PlatformTags.SelectMany(t => t)))} to the OCI archive {path}";

    /// <summary>A dry run: where the index would have gone (the index itself follows).</summary>
    public static string DryRun(IEnumerable<string> names) =>
        $"Dry run: this index would be pushed as {string.Join(", ", names)}; nothing was copied or pushed:";
}
