namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// What a push of one RID's image archive made: the manifest (and attestation manifest) it pushed, under the key of
/// everything that shaped them (<see cref="KeyFor"/>). Kept in the RID's cache folder (<c>pushed/&lt;key&gt;.json</c>,
/// one per key, never replaced by another), so the push of an unchanged image confirms those manifests with one HEAD
/// each instead of unpacking and rewriting the archive again.
/// </summary>
internal sealed record PushRecord(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("manifest")] Descriptor Manifest,
    [property: JsonPropertyName("attestation")] Descriptor? Attestation)
{
    /// <summary>Records kept per RID; the oldest go when there are more.</summary>
    public const int Kept = 20;

    /// <summary>
    /// The key of pushing the image <paramref name="archivePath"/> (one RID's, <paramref name="runtimeIdentifier"/>) holds
    /// to <paramref name="repository"/> of <paramref name="registry"/>: what the archive holds and every setting that
    /// shapes what is pushed from it. Null when the archive cannot be read (the collection then reports why).
    /// </summary>
    public static string? KeyFor(string runtimeIdentifier, string archivePath, string registry, string repository, Collect.CollectOptions options, Attest.AttestationRequest? attestation)
    {
        if (runtimeIdentifier.Length == 0 || !File.Exists(archivePath))
        {
            return null;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["epoch"] = $"{options.Epoch?.ToUnixTimeSeconds()}",
            ["generated base annotations"] = $"{options.GenerateBaseName}/{options.GenerateBaseDigest}/{options.BaseImage}",
            ["base os.version"] = options.BaseOsVersions.GetValueOrDefault(runtimeIdentifier) ?? string.Empty,
        };
        foreach ((string key, string value) in options.ManifestAnnotations.GetValueOrDefault(runtimeIdentifier) ?? new Dictionary<string, string>())
        {
            settings["annotation " + key] = value;
        }

        if (attestation is not null)
        {
            settings["attestations"] = $"{attestation.Sbom}/{attestation.Provenance}/{attestation.SelfContained}/{attestation.AssetsPath}/{attestation.Artifact}";
            // Every scalar fact as the record prints it; its lists are filled per image from the archive and the
            // assets file, which the key holds already.
            settings["attestation facts"] = attestation.Facts.ToString();
            if (attestation.AssetsPath.Length > 0)
            {
                settings["assets file"] = FileState.Of(attestation.AssetsPath).Content;
            }
        }

        try
        {
            return ArchiveKey(archivePath, registry, repository, settings);
        }
        catch (Exception ex) when (ex is MultiArchException or IOException or UnauthorizedAccessException)
        {
            // The archive cannot be read: no key, and the collection reports why.
            return null;
        }
    }

    /// <summary>
    /// The key of pushing the image <paramref name="archivePath"/> holds to <paramref name="repository"/> of
    /// <paramref name="registry"/>, shaped by the named <paramref name="settings"/> (the publish's time, the manifest
    /// annotations, the attestations).
    /// </summary>
    private static string ArchiveKey(string archivePath, string registry, string repository, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var key = new KeyBuilder()
            .Add("tool", typeof(PushRecord).Assembly.ManifestModule.ModuleVersionId.ToString())
            .Add("archive index", Digest.Sha256(Layout.OciArchiveReader.ReadIndex(archivePath, archivePath)).ToString())
            .Add("registry", registry.ToLowerInvariant())
            .Add("repository", repository);
        foreach ((string name, string value) in settings)
        {
            key.Add(name, value);
        }

        return key.Build().Value;
    }

    /// <summary>Keeps the record in <paramref name="folder"/> (the RID's cache folder).</summary>
    public void Write(string folder)
    {
        string records = Path.Combine(folder, "pushed");
        CacheFolder.WriteFile(Path.Combine(records, Key + ".json"), OciJson.Serialize(this, IncrementalJsonContext.Rules));
        foreach (FileInfo old in new DirectoryInfo(records).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept))
        {
            old.Delete();
        }
    }

    /// <summary>The record kept in <paramref name="folder"/> under <paramref name="key"/>; else null.</summary>
    public static PushRecord? Read(string folder, string key) =>
        CacheFolder.ReadJson<PushRecord>(Path.Combine(folder, "pushed", key + ".json"), "the push record") is { } record && record.Key == key && record.Manifest.Platform is not null
            ? record
            : null;
}
