namespace MultiArchContainers.Tool;

/// <summary>One child of an index as <c>multiarch inspect</c> shows it.</summary>
/// <param name="Descriptor">The index's entry for it.</param>
/// <param name="PredicateTypes">For an attestation manifest, the <c>in-toto.io/predicate-type</c> of each layer.</param>
/// <param name="AttestedPlatform">For an attestation manifest, the platform of the image it describes, when the index has it.</param>
internal sealed record InspectedEntry(Descriptor Descriptor, IReadOnlyList<string> PredicateTypes, string? AttestedPlatform)
{
    public string Platform => Descriptor.Platform?.ToString() ?? "(none)";
}
