namespace MultiArchContainers.Oci.Incremental;

/// <summary>
/// Decides, for each RID of a publish, whether its build is skipped (<see cref="ReuseDecision"/>), from the state now
/// and the RID's <see cref="InputRecord"/>, and names the kept image a skipped RID uses.
/// </summary>
public static class BuildSkipper
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
            InputRecord? last = InputRecord.Read(folder);
            var store = new ImageStore(folder);
            ReuseDecision decision = state is null ? new ReuseDecision(whyNot ?? "the inputs cannot be known", [])
                : !enabled ? new ReuseDecision("ContainerSkipUnchangedBuilds is false", [])
                : ReuseDecision.Decide(state, last, last is not null && store.Use(last.ImageKey));
            return new Result(rid, decision, decision.UpToDate ? store.PathOf(last!.ImageKey) : null);
        }).ToList();

    /// <summary>
    /// Gives each file the time now. MSBuild decides by time; a file whose content changed while its time did not show
    /// it (<see cref="ReuseDecision.Invisible"/>) would otherwise not be built from again.
    /// </summary>
    public static void Reveal(IEnumerable<string> files, Action<string> log)
    {
        foreach (string file in files.Distinct(StringComparer.Ordinal))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
            log($"{file}: its content changed but its time did not show it; its time is set to now so that MSBuild builds from it again.");
        }
    }
}
