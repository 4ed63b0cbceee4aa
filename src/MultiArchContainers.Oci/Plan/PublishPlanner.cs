using MultiArchContainers.Oci.Annotations;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Plan;

/// <summary>
/// The Plan stage: checks a multi-arch publish before anything is built (the target, the RIDs and their platforms,
/// the platform tags, the annotations, the registry reachable with credentials accepted, the base image offering
/// every platform) and reports every problem found in one run.
/// </summary>
internal sealed class PublishPlanner
{
    private readonly Func<string, IRegistryClient> _clients;
    private readonly Action<Diagnostic> _report;

    /// <param name="clients">Makes a client for a registry; the planner disposes it.</param>
    /// <param name="report">Receives every error and warning.</param>
    public PublishPlanner(Func<string, IRegistryClient> clients, Action<Diagnostic> report)
    {
        _clients = clients;
        _report = report;
    }

    /// <summary>The plan; check the reported diagnostics for errors before using it.</summary>
    public async Task<PublishPlan> PlanAsync(PlanRequest request, CancellationToken cancellationToken)
    {
        bool targetValid = CheckTarget(request);

        // Every RID that maps to a platform is still checked against the base image, so one run reports all problems.
        List<PlannedPlatform> planned = PlanPlatforms(request.RuntimeIdentifiers);
        if (request.PlatformTags)
        {
            foreach (string tag in request.Tags.SelectMany(tag => planned.Select(p => PlatformTags.Of(tag, p.RuntimeIdentifier))).Where(tag => !ImageReference.IsValidTag(tag)))
            {
                _report(Diagnostic.Error(MessageIds.InvalidReference, tag, "platform tag", PlatformTags.Rule));
            }
        }

        var context = new AnnotationContext(planned.Select(p => (p.RuntimeIdentifier, p.Platform)).ToList())
        {
            ArchiveOutput = request.ArchiveOutput,
            DockerFormat = request.DockerFormat,
        };
        PublishPlan plan = PublishPlan.From(planned, AnnotationResolver.Resolve(request.Annotations, context, _report), request.Time);
        if (!targetValid && !request.ArchiveOutput)
        {
            return plan;
        }

        // An archive needs no target registry; a push checks it before anything is built.
        if (!request.ArchiveOutput)
        {
            using IRegistryClient target = _clients(request.Registry);
            await target.PingAsync(cancellationToken).ConfigureAwait(false);
        }

        (Digest? digest, IReadOnlyList<Descriptor> offered) = await CheckBasePlatformsAsync(request.BaseImage, planned, cancellationToken).ConfigureAwait(false);
        return plan with
        {
            BaseDigest = digest,
            Platforms = [.. plan.Platforms.Select(p => p with { BaseManifest = offered.FirstOrDefault(o => o.Platform!.CanServe(p.Platform)) })],
        };
    }

    private bool CheckTarget(PlanRequest request)
    {
        bool valid = true;
        if (string.IsNullOrWhiteSpace(request.Registry))
        {
            if (!request.ArchiveOutput)
            {
                _report(Diagnostic.Error(MessageIds.NoRegistry));
            }

            valid = false;
        }
        else if (!ImageReference.IsValidRegistry(request.Registry))
        {
            _report(Diagnostic.Error(MessageIds.InvalidReference, request.Registry, "ContainerRegistry", "expected host[:port]"));
            valid = false;
        }

        if (!ImageReference.IsValidRepository(request.Repository, out string? repositoryError))
        {
            _report(Diagnostic.Error(MessageIds.InvalidReference, request.Repository, "ContainerRepository", repositoryError));
            valid = false;
        }

        return valid;
    }

    private List<PlannedPlatform> PlanPlatforms(IReadOnlyList<string> runtimeIdentifiers)
    {
        var planned = new List<PlannedPlatform>();
        // A list may come as one text separated by ',' or ';' (the command line cannot pass ';' unquoted).
        string[] rids = runtimeIdentifiers.SelectMany(r => r.Split([',', ';'])).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (rids.Length == 0)
        {
            _report(Diagnostic.Error(MessageIds.NoRuntimeIdentifiers));
            return planned;
        }

        foreach (string rid in rids)
        {
            if (RuntimeIdentifierPlatforms.TryGetPlatform(rid) is not { } platform)
            {
                _report(Diagnostic.Error(MessageIds.UnknownRuntimeIdentifier, rid, string.Join(", ", RuntimeIdentifierPlatforms.Known)));
                continue;
            }

            foreach (PlannedPlatform other in planned.Where(o => o.Platform.SameSlot(platform)))
            {
                _report(Diagnostic.Error(MessageIds.DuplicatePlatform, other.RuntimeIdentifier, rid, platform));
            }

            planned.Add(new PlannedPlatform(rid, platform));
        }

        return planned;
    }

    /// <summary>
    /// Checks that the base image offers every planned platform; returns the digest it names now and the manifests it
    /// offers, with their platforms (null and none when unread).
    /// </summary>
    private async Task<(Digest? Digest, IReadOnlyList<Descriptor> Offered)> CheckBasePlatformsAsync(string baseImage, List<PlannedPlatform> planned, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(baseImage))
        {
            return (null, []);
        }

        ImageReference? reference = ImageReference.TryParse(baseImage, out string? error);
        if (reference is null || reference.Registry.Length == 0)
        {
            _report(Diagnostic.Error(MessageIds.InvalidReference, baseImage, "ContainerBaseImage", error ?? "it names no registry"));
            return (null, []);
        }

        List<Descriptor> offered;
        Digest digest;
        try
        {
            using IRegistryClient client = _clients(reference.Registry);
            (digest, var images) = await RemoteImageReader.ReadNamedAsync(client, reference, cancellationToken).ConfigureAwait(false);
            offered = images.Select(d => d.Descriptor).Where(d => d.Platform is not null).ToList();
        }
        catch (MultiArchException ex)
        {
            _report(Diagnostic.Error(MessageIds.BaseImageUnreadable, baseImage, ex.Diagnostic));
            return (null, []);
        }

        foreach (PlannedPlatform wanted in planned.Where(p => !offered.Any(o => o.Platform!.CanServe(p.Platform))))
        {
            _report(Diagnostic.Error(MessageIds.PlatformNotInBaseImage, wanted.RuntimeIdentifier, wanted.Platform, baseImage, offered.Count == 0 ? "no platform" : string.Join(", ", offered.Select(o => o.Platform))));
        }

        return (digest, offered);
    }
}
