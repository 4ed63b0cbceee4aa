namespace MultiArchContainers.Oci.Merge;

/// <summary>Which of the resolved entries a merge keeps: the platform filter, and one image per platform.</summary>
internal static class MergeSelection
{
    /// <summary>
    /// The entries whose platform one of <paramref name="platforms"/> selects, with the attestations of those images;
    /// all of them when the filter is empty. Null, with the errors reported, when the filter is invalid or keeps nothing.
    /// </summary>
    public static List<MergeEntry>? Filter(List<MergeEntry> entries, IReadOnlyList<string> platforms, Action<Diagnostic> report)
    {
        string[] wanted = platforms.Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        if (wanted.Length == 0)
        {
            return entries;
        }

        var filters = new List<Platform>();
        foreach (string text in wanted)
        {
            if (Platform.TryParse(text) is not { } platform)
            {
                report(Diagnostic.Error(MessageIds.InvalidReference, text, "ContainerMergePlatforms entry", "expected os/architecture[/variant]"));
                return null;
            }

            filters.Add(platform);
        }

        var images = entries.Where(e => !e.IsAttestation && filters.Any(f => f.Selects(e.Manifest.Platform!))).ToList();
        if (images.Count == 0)
        {
            report(Diagnostic.Error(MessageIds.MergeNothingLeft, string.Join(';', wanted), string.Join(", ", entries.Where(e => !e.IsAttestation).Select(e => e.Manifest.Platform))));
            return null;
        }

        var keptDigests = images.Select(e => e.Manifest.Digest.ToString()).ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => images.Contains(e) || (e.IsAttestation && e.AttestedDigest is { } d && keptDigests.Contains(d))).ToList();
    }

    /// <summary>Reports MAC2020 for every two images of the same platform; true when there were none.</summary>
    public static bool CheckDuplicates(List<MergeEntry> entries, Action<Diagnostic> report)
    {
        bool unique = true;
        var images = entries.Where(e => !e.IsAttestation).ToList();
        for (int i = 0; i < images.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (images[j].Manifest.Platform!.SameSlot(images[i].Manifest.Platform!))
                {
                    report(Diagnostic.Error(MessageIds.MergeDuplicatePlatform, images[j].Source, images[i].Source, images[i].Manifest.Platform));
                    unique = false;
                }
            }
        }

        return unique;
    }
}
