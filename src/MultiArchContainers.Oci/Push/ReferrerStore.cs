using System.Text.Json.Nodes;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Oci.Push;

/// <summary>
/// OCI 1.1 referrers of a manifest in one repository: an artifact manifest whose <c>subject</c> is the manifest.
/// A registry's <c>OCI-Subject</c> answer is never taken as proof that it indexes referrers: after each push the
/// referrers API is asked whether it lists the new manifest, and when it does not (no API, as in distribution 2.x),
/// the fallback tag <c>sha256-&lt;hex&gt;</c> holds an index of the referrers, updated without losing any entry
/// others wrote there.
/// </summary>
internal sealed class ReferrerStore(IRegistryClient client, string repository)
{
    private static readonly byte[] Empty = "{}"u8.ToArray();

    /// <summary>The fallback tag of <paramref name="subject"/>'s referrers.</summary>
    public static string FallbackTag(Digest subject) => $"{subject.Algorithm}-{subject.Encoded}";

    /// <summary>
    /// Pushes an artifact manifest for <paramref name="subject"/> with <paramref name="content"/> as its one layer, and
    /// makes it findable; returns its descriptor, as the referrers list shows it.
    /// </summary>
    public async Task<JsonObject> PushAsync(Descriptor subject, string artifactType, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        await client.EnsureBlobAsync(repository, Empty, cancellationToken).ConfigureAwait(false);
        await client.EnsureBlobAsync(repository, content, cancellationToken).ConfigureAwait(false);
        var annotationObject = new JsonObject([.. annotations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value)))]);
        byte[] manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = artifactType,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciEmpty, ["digest"] = Digest.Sha256(Empty).ToString(), ["size"] = Empty.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = artifactType, ["digest"] = Digest.Sha256(content).ToString(), ["size"] = content.LongLength }),
            ["subject"] = new JsonObject { ["mediaType"] = subject.MediaType, ["digest"] = subject.Digest.ToString(), ["size"] = subject.Size },
            ["annotations"] = annotationObject.DeepClone(),
        }.ToJsonString());
        Digest digest = Digest.Sha256(manifest);
        await client.PutManifestAsync(repository, digest.ToString(), manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        var entry = new JsonObject
        {
            ["mediaType"] = MediaTypes.OciManifest,
            ["digest"] = digest.ToString(),
            ["size"] = manifest.LongLength,
            ["artifactType"] = artifactType,
            ["annotations"] = annotationObject,
        };

        await AttachAsync(subject.Digest, entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// Makes the referrer <paramref name="entry"/> (a manifest in this repository whose subject is
    /// <paramref name="subject"/>) findable: whatever its push answered (OCI-Subject or not), the referrers API itself
    /// has to list it; else the fallback tag does.
    /// </summary>
    public async Task AttachAsync(Digest subject, JsonObject entry, CancellationToken cancellationToken)
    {
        if (await ApiListAsync(subject, cancellationToken).ConfigureAwait(false) is { } listed && listed.Any(e => (string?)e["digest"] == (string?)entry["digest"]))
        {
            return;
        }

        await AddToFallbackTagAsync(subject, entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The referrers of <paramref name="subject"/>: what the referrers API lists, else what the fallback tag's index lists.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(Digest subject, CancellationToken cancellationToken)
    {
        if (await ApiListAsync(subject, cancellationToken).ConfigureAwait(false) is { Count: > 0 } listed)
        {
            return listed;
        }

        return await FallbackListAsync(subject, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<JsonObject>?> ApiListAsync(Digest subject, CancellationToken cancellationToken) =>
        await client.GetReferrersAsync(repository, subject, cancellationToken).ConfigureAwait(false) is { } index ? Entries(index) : null;

    private async Task<List<JsonObject>> FallbackListAsync(Digest subject, CancellationToken cancellationToken)
    {
        string tag = FallbackTag(subject);
        if (await client.ResolveManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        ManifestContent existing = await client.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        return MediaTypes.IsIndex(existing.MediaType)
            ? Entries(existing.Content)
            : throw new MultiArchException(MessageIds.ReferrersTagTaken, $"{client.Registry}/{repository}:{tag}", existing.MediaType);
    }

    /// <summary>Adds <paramref name="entry"/> to the fallback index, keeping every entry there as it is.</summary>
    private async Task AddToFallbackTagAsync(Digest subject, JsonObject entry, CancellationToken cancellationToken)
    {
        List<JsonObject> entries = await FallbackListAsync(subject, cancellationToken).ConfigureAwait(false);
        if (entries.Any(e => (string?)e["digest"] == (string?)entry["digest"]))
        {
            return;
        }

        entries.Add(entry);
        byte[] index = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new JsonArray([.. entries.Select(e => (JsonNode)e.DeepClone())]),
        }.ToJsonString());
        await client.PutManifestAsync(repository, FallbackTag(subject), index, MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
    }

    private static List<JsonObject> Entries(byte[] index) =>
        JsonNode.Parse(index)?["manifests"] is JsonArray manifests ? [.. manifests.OfType<JsonObject>().Select(m => (JsonObject)m.DeepClone())] : [];
}
