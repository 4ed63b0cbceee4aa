namespace MultiArchContainers.Tasks;

/// <summary>Metadata names of the items these tasks exchange.</summary>
internal static class ItemMetadata
{
    public const string RuntimeIdentifier = nameof(RuntimeIdentifier);
    public const string Platform = nameof(Platform);

    /// <summary>On a planned RID: the digest of the base manifest its build starts from, when the SDK cannot pick it (PlanMultiArch).</summary>
    public const string PlatformBaseDigest = nameof(PlatformBaseDigest);
    public const string PlatformJson = nameof(PlatformJson);
    public const string Digest = nameof(Digest);
    public const string Size = nameof(Size);
    public const string MediaType = nameof(MediaType);
    public const string Names = nameof(Names);
    public const string Tags = nameof(Tags);
    public const string Repository = nameof(Repository);
    public const string Registry = nameof(Registry);
    public const string MetadataFile = nameof(MetadataFile);
    public const string ArchivePath = nameof(ArchivePath);
    public const string Level = nameof(Level);
    public const string Value = nameof(Value);
    public const string LayoutRoot = nameof(LayoutRoot);

    /// <summary>
    /// On what a RID's build returns: <see cref="ArchiveKind"/> (an image archive for the Collect stage) or
    /// <see cref="CollectedKind"/> (an image a build node has collected already, which goes straight to Combine).
    /// </summary>
    public const string Kind = nameof(Kind);

    /// <summary>The <see cref="Kind"/> of an image archive a per-RID build wrote or kept.</summary>
    public const string ArchiveKind = "archive";

    /// <summary>The <see cref="Kind"/> of an image a build node collected.</summary>
    public const string CollectedKind = "collected";

    /// <summary>On a RID's image archive: built, reused (kept from a build of the same inputs) or up to date (its build skipped).</summary>
    public const string Outcome = nameof(Outcome);

    /// <summary>On a RID's image archive: how long its per-RID build took, in milliseconds (none when skipped).</summary>
    public const string ElapsedMilliseconds = nameof(ElapsedMilliseconds);

    /// <summary>registry/repository where this publish has pushed or confirmed the image; the index need not ask again.</summary>
    public const string InRepository = nameof(InRepository);

    public const string Attests = nameof(Attests);
}
