using MultiArchContainers.Oci.Combine;

namespace MultiArchContainers.Tasks;

/// <summary>
/// The Combine stage (<see cref="IndexCombiner"/>): the OCI image index of the collected images, in the plan's order,
/// with every annotation the plan resolved. Nothing is pushed or written but the index itself, for the Push stage.
/// </summary>
public sealed class CombineImageIndex : MultiArchTask
{
    /// <summary>The per-RID images, as the Collect stage returns them (built here, on a node, or pushed before).</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>The RIDs in the order the index lists them; images built elsewhere arrive in any order.</summary>
    public string[] Order { get; set; } = [];

    /// <summary>The plan PlanMultiArch wrote; its index and manifest-descriptor annotations go on the index.</summary>
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>Where the index is written (its exact bytes are what the Push stage pushes or archives).</summary>
    [Required]
    public string IndexFile { get; set; } = string.Empty;

    /// <summary><see cref="Images"/> in the order of the index's manifests.</summary>
    [Output]
    public ITaskItem[] OrderedImages { get; private set; } = [];

    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        AnnotationSet annotations = PublishPlan.Read(PlanFile).AnnotationSet();
        ITaskItem[] ordered = Images
            .OrderBy(item => Array.IndexOf(Order, item.GetMetadata(ItemMetadata.RuntimeIdentifier)) is var at && at < 0 ? int.MaxValue : at)
            .ToArray();
        List<PlatformImage> images = ordered.Select(PlatformImageItems.FromItem).ToList();
        ImageIndex index = IndexCombiner.Combine(images, CombineOptions.From(annotations, images.Select(i => i.Label)));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(IndexFile))!);
        File.WriteAllBytes(IndexFile, OciJson.Serialize(index));
        OrderedImages = ordered;
        return Task.CompletedTask;
    }
}
