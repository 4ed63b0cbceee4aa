namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// Decides, for each RID of a publish, whether its build is skipped (<see cref="ReuseDecision"/>), from the state now
/// and the RID's <see cref="InputRecord"/>, and names the kept image a skipped RID uses.
/// </summary>
internal static class BuildSkipper
{
    /// <summary>One RID's decision; <paramref name="Archive"/> is the kept image when it is up to date.</summary>
    public sealed record Result(string RuntimeIdentifier, ReuseDecision Decision, string? Archive);

    /// <summary>
    /// Each RID's decision. A null <paramref name="state"/> (it cannot be known; <paramref name="whyNot"/> says why)
    /// builds every RID, as does <paramref name="enabled"/> false.
    /// </summary>
    public static IReadOnlyList<Result> Decide(string cacheRoot, IEnumerable<string> runtimeIdentifiers, InputState? state, string? whyNot, bool enabled) =>
        runtimeIdentifiers.Select(rid =>
        {
            string folder = Path.Combine(cacheRoot, rid);
            var store = new ImageStore(folder);
            if (state is null || !enabled)
            {
                return new Result(rid, new ReuseDecision(state is null ? whyNot ?? "the inputs cannot be known" : "ContainerSkipUnchangedBuilds is false", []), null);
            }

            // A build made from this very state, whose image is kept: it is that image. Else the differences from the
            // last build (whose outputs obj holds) say why, and which changes MSBuild cannot see.
            if (InputRecord.Find(folder, state) is { } same && store.Use(same.ImageKey))
            {
                return new Result(rid, new ReuseDecision(null, []), store.PathOf(same.ImageKey));
            }

            InputRecord? last = InputRecord.Read(folder);
            ReuseDecision decision = ReuseDecision.Decide(state, last, last is not null && store.Use(last.ImageKey));
            return new Result(rid, decision, decision.UpToDate ? store.PathOf(last!.ImageKey) : null);
        }).ToList();

    /// <summary>
    /// Gives the time now to each file of <paramref name="files"/> whose content changed since the last build of any
    /// RID while its time did not show it (<see cref="ReuseDecision.Invisible"/>). MSBuild decides by time; such a file
    /// would otherwise not be built from again. Done before anything of the publish builds.
    /// </summary>
    public static void Reveal(string cacheRoot, InputState files, Action<string> log)
    {
        IEnumerable<InputRecord> lasts = Directory.Exists(cacheRoot)
            ? Directory.EnumerateDirectories(cacheRoot).Select(InputRecord.Read).OfType<InputRecord>()
            : [];
        foreach (string file in lasts.SelectMany(last => ReuseDecision.Decide(files, last, imageKept: true).Invisible).Distinct(StringComparer.Ordinal))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
            log($"{file}: its content changed but its time did not show it; its time is set to now so that MSBuild builds from it again.");
        }
    }
}
