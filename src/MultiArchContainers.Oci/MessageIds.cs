namespace MultiArchContainers.Oci;

/// <summary>Names of the messages in Resources/Strings.resx; each message starts with its MAC code.</summary>
public static class MessageIds
{
    public const string RegistryUnreachable = nameof(RegistryUnreachable);
    public const string RegistryUnauthorized = nameof(RegistryUnauthorized);
    public const string RegistryRequestFailed = nameof(RegistryRequestFailed);
    public const string DigestMismatch = nameof(DigestMismatch);
    public const string ChildManifestMissing = nameof(ChildManifestMissing);
    public const string BaseImageUnreadable = nameof(BaseImageUnreadable);
    public const string TokenRequestFailed = nameof(TokenRequestFailed);
    public const string UnsupportedManifest = nameof(UnsupportedManifest);
    public const string InvalidUploadChunkSize = nameof(InvalidUploadChunkSize);
    public const string AnnotationKeyEmpty = nameof(AnnotationKeyEmpty);
    public const string AnnotationKeyInvalidCharacter = nameof(AnnotationKeyInvalidCharacter);
    public const string AnnotationValueMissing = nameof(AnnotationValueMissing);
    public const string AnnotationConflict = nameof(AnnotationConflict);
    public const string NoRuntimeIdentifiers = nameof(NoRuntimeIdentifiers);
    public const string UnknownRuntimeIdentifier = nameof(UnknownRuntimeIdentifier);
    public const string PlatformNotInBaseImage = nameof(PlatformNotInBaseImage);
    public const string NoRegistry = nameof(NoRegistry);
    public const string DuplicatePlatform = nameof(DuplicatePlatform);
    public const string InvalidReference = nameof(InvalidReference);
    public const string ArchiveMissing = nameof(ArchiveMissing);
    public const string ArchiveInvalid = nameof(ArchiveInvalid);
    public const string MetadataWriteFailed = nameof(MetadataWriteFailed);
    public const string ImageWithoutRuntimeIdentifier = nameof(ImageWithoutRuntimeIdentifier);
    public const string RestoreFailed = nameof(RestoreFailed);
    public const string AnnotationCreatedNotRfc3339 = nameof(AnnotationCreatedNotRfc3339);
    public const string AnnotationQualifierMatchesNothing = nameof(AnnotationQualifierMatchesNothing);
    public const string IndexDescriptorNeedsArchive = nameof(IndexDescriptorNeedsArchive);
    public const string AnnotationsNeedOci = nameof(AnnotationsNeedOci);
    public const string AnnotationStringInvalid = nameof(AnnotationStringInvalid);
    public const string AnnotationQualifierInvalid = nameof(AnnotationQualifierInvalid);
    public const string AnnotationQualifierNotAllowed = nameof(AnnotationQualifierNotAllowed);
    public const string AnnotationKeyNotReverseDomain = nameof(AnnotationKeyNotReverseDomain);
    public const string AnnotationKeyReservedUnknown = nameof(AnnotationKeyReservedUnknown);
    public const string ImageReproducibilityFailed = nameof(ImageReproducibilityFailed);
    public const string SourceDateEpochInvalid = nameof(SourceDateEpochInvalid);
    public const string UnexpectedFailure = nameof(UnexpectedFailure);
    public const string MergeSourceInvalid = nameof(MergeSourceInvalid);
    public const string MergeDuplicatePlatform = nameof(MergeDuplicatePlatform);
    public const string MergeNoSources = nameof(MergeNoSources);
    public const string MergeNothingLeft = nameof(MergeNothingLeft);
    public const string MergeArchiveUnsupported = nameof(MergeArchiveUnsupported);
    public const string BuildNodeInvalid = nameof(BuildNodeInvalid);
    public const string BuildNodeUnreachable = nameof(BuildNodeUnreachable);
    public const string BuildNodeFailed = nameof(BuildNodeFailed);
    public const string BuildNodeNoDotnet = nameof(BuildNodeNoDotnet);
    public const string BuildNodeTimeout = nameof(BuildNodeTimeout);
    public const string BuildNodeRequired = nameof(BuildNodeRequired);
    public const string BuildNodePackageMissing = nameof(BuildNodePackageMissing);
    public const string BuildNodesAllUnreachable = nameof(BuildNodesAllUnreachable);
    public const string BuildNodeSourceRootInvalid = nameof(BuildNodeSourceRootInvalid);
}
