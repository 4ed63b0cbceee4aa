namespace MultiArchContainers.Oci.Plan;

/// <summary>Where the time written into images came from.</summary>
internal enum BuildTimeSource
{
    /// <summary>The <c>SOURCE_DATE_EPOCH</c> variable.</summary>
    SourceDateEpoch,

    /// <summary>The commit time of <c>HEAD</c> in the git repository that holds the project.</summary>
    GitCommit,

    /// <summary>The clock: the images are not reproducible.</summary>
    Now,
}
