using MultiArchContainers.Oci.Annotations;

namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// What the Plan stage decided: the platforms in index order and every annotation at its place. The targets pass it
/// from stage to stage as this JSON file under <c>obj/multiarch/</c>, so values reach the image byte for byte and are
/// never unescaped by MSBuild on the way.
/// </summary>
internal sealed record PublishPlan
{
    [JsonPropertyName("platforms")]
    public IReadOnlyList<PlannedPlatform> Platforms { get; init; } = [];

    [JsonPropertyName("annotations")]
    public IReadOnlyList<PlannedAnnotation> Annotations { get; init; } = [];

    /// <summary>The time every timestamp of the images takes, in seconds since 1970; null when they are not reproducible.</summary>
    [JsonPropertyName("epoch")]
    public long? Epoch { get; init; }

    /// <summary>
    /// The digest the base image reference named when the plan read it, so the later stages need not ask again; null
    /// when there is none or it was not read.
    /// </summary>
    [JsonPropertyName("baseDigest")]
    public Digest? BaseDigest { get; init; }

    /// <summary>The epoch as a time.</summary>
    [JsonIgnore]
    public DateTimeOffset? EpochTime => Epoch is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static PublishPlan From(IReadOnlyList<PlannedPlatform> platforms, AnnotationSet? annotations, BuildTime? time = null) => new()
    {
        Platforms = platforms,
        Epoch = time is { Reproducible: true } ? time.Value.ToUnixTimeSeconds() : null,
        Annotations = annotations?.All.Select(a => new PlannedAnnotation(AnnotationResolver.LevelName(a.Level), a.Rid, a.Key, a.Value)).ToList() ?? [],
    };

    /// <summary>The annotations as a set, by level and RID.</summary>
    public AnnotationSet AnnotationSet()
    {
        var set = new AnnotationSet();
        foreach (PlannedAnnotation annotation in Annotations)
        {
            AnnotationLevel level = AnnotationResolver.ParseLevel(annotation.Level)
                ?? throw new JsonException($"'{annotation.Level}' is not an annotation level.");
            set.Map(level, annotation.RuntimeIdentifier)[annotation.Key] = annotation.Value;
        }

        return set;
    }

    /// <summary>Writes the plan; its folder, the publish's working folder, is made private to this user (0700).</summary>
    public static void Write(string path, PublishPlan plan)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.WriteAllBytes(path, OciJson.Serialize(plan, PlanJsonContext.Rules));
    }

    /// <summary>The plan the Plan stage wrote; an empty plan when no file is named (a task run on its own).</summary>
    public static PublishPlan Read(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new PublishPlan();
        }

        try
        {
            return OciJson.Deserialize<PublishPlan>(File.ReadAllBytes(path), "the plan", PlanJsonContext.Rules);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            throw new MultiArchException(MessageIds.PlanUnreadable, path, ex.Message);
        }
    }
}
