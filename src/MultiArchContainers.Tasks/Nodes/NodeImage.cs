namespace MultiArchContainers.Tasks.Nodes;

/// <summary>What a node built for one RID: the image and, with ContainerSbom or ContainerProvenance, its attestation manifest.</summary>
internal sealed record NodeImage(PlatformImage Image, PlatformImage? Attestation);
