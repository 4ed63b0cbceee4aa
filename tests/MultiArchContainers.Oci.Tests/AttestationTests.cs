using Json.Schema;

namespace MultiArchContainers.Oci.Tests;

public sealed class AttestationTests : IDisposable
{
    private static readonly Digest BaseDigest = Digest.Sha256("base"u8.ToArray());
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-attest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static BuildFacts Facts(params NuGetPackage[] packages) => new()
    {
        ImageName = "registry.example.com/team/app",
        RuntimeIdentifier = "linux-arm64",
        Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
        Time = DateTimeOffset.FromUnixTimeSeconds(1700000000),
        ToolVersion = "1.0.0",
        SdkVersion = "10.0.401",
        ProjectPath = "src/App/App.csproj",
        Configuration = "Release",
        TargetFramework = "net10.0",
        ApplicationName = "App",
        ApplicationVersion = "1.4.0",
        Packages = packages,
        Files = [new ApplicationFile("/app/App.dll", new string('a', 64), new string('b', 40))],
        BaseImage = "registry.example.com/dotnet/runtime:10.0",
        BaseDigest = BaseDigest,
        SourceRepository = "https://example.com/team/app.git",
        SourceCommit = new string('c', 40),
    };

    [Fact]
    public void TheSbomIsValidSpdx23AndNamesEveryPartAndTheSameFactsGiveTheSameBytes()
    {
        var package = new NuGetPackage("Acme.Greeting", "1.2.3", new string('d', 128));
        byte[] sbom = SpdxDocument.Create(Facts(package));

        Assert.Equal(sbom, SpdxDocument.Create(Facts(package)));
        Assert.NotEqual(sbom, SpdxDocument.Create(Facts(package) with { Time = DateTimeOffset.FromUnixTimeSeconds(1700000001) }));

        JsonSchema schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "spdx-2.3-subset.schema.json")));
        using JsonDocument document = JsonDocument.Parse(sbom);
        EvaluationResults results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

        // The schema does refuse what SPDX 2.3 does not allow.
        JsonNode broken = JsonNode.Parse(sbom)!;
        broken["relationships"]![0]!["relationshipType"] = "USES";
        broken["packages"]![0]!["licence"] = "MIT";
        using JsonDocument brokenDocument = JsonDocument.Parse(broken.ToJsonString());
        Assert.False(schema.Evaluate(brokenDocument.RootElement).IsValid);

        JsonNode spdx = JsonNode.Parse(sbom)!;
        Assert.Equal("2023-11-14T22:13:20Z", spdx["creationInfo"]!["created"]!.GetValue<string>());
        Assert.StartsWith("urn:uuid:", spdx["documentNamespace"]!.GetValue<string>(), StringComparison.Ordinal);
        JsonNode nuget = Assert.Single(spdx["packages"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Acme.Greeting")!;
        Assert.Equal("pkg:nuget/Acme.Greeting@1.2.3", nuget["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>());
        Assert.Equal(new string('d', 128), nuget["checksums"]![0]!["checksumValue"]!.GetValue<string>());
        JsonNode baseImage = Assert.Single(spdx["packages"]!.AsArray(), p => p!["SPDXID"]!.GetValue<string>() == "SPDXRef-BaseImage")!;
        Assert.Equal(BaseDigest.Encoded, baseImage["checksums"]![0]!["checksumValue"]!.GetValue<string>());
        Assert.Contains(spdx["relationships"]!.AsArray(), r => r!["relationshipType"]!.GetValue<string>() == "DEPENDS_ON" && r["relatedSpdxElement"]!.GetValue<string>() == "SPDXRef-BaseImage");
        Assert.Equal("/app/App.dll", Assert.Single(spdx["files"]!.AsArray())!["fileName"]!.GetValue<string>());
    }

    [Fact]
    public void TheProvenanceNamesTheBuilderTheProjectAndEveryResolvedDependency()
    {
        JsonNode provenance = JsonNode.Parse(SlsaProvenance.Create(Facts(new NuGetPackage("Acme.Greeting", "1.2.3", string.Empty))))!;

        JsonNode definition = provenance["buildDefinition"]!;
        Assert.Equal(SlsaProvenance.BuildType, definition["buildType"]!.GetValue<string>());
        Assert.Equal(("src/App/App.csproj", "Release", "linux-arm64"), (
            definition["externalParameters"]!["project"]!.GetValue<string>(),
            definition["externalParameters"]!["configuration"]!.GetValue<string>(),
            definition["externalParameters"]!["runtimeIdentifier"]!.GetValue<string>()));
        Assert.Equal("10.0.401", definition["internalParameters"]!["dotnetSdkVersion"]!.GetValue<string>());
        JsonArray dependencies = definition["resolvedDependencies"]!.AsArray();
        Assert.Equal($"git+https://example.com/team/app.git@{new string('c', 40)}", dependencies[0]!["uri"]!.GetValue<string>());
        Assert.Equal(BaseDigest.Encoded, dependencies[1]!["digest"]!["sha256"]!.GetValue<string>());
        Assert.Equal("pkg:nuget/Acme.Greeting@1.2.3", dependencies[2]!["uri"]!.GetValue<string>());
        Assert.Null(dependencies[2]!["digest"]);
        Assert.Equal("pkg:nuget/MultiArchContainers.Sdk@1.0.0", provenance["runDetails"]!["builder"]!["id"]!.GetValue<string>());
        Assert.Equal("2023-11-14T22:13:20Z", provenance["runDetails"]!["metadata"]!["startedOn"]!.GetValue<string>());
    }

    [Fact]
    public void TheAttestationManifestIsInTheLayoutBuildxReads()
    {
        Descriptor image = Descriptor.For(MediaTypes.OciManifest, "{}"u8.ToArray()) with { Platform = new Platform { Os = "linux", Architecture = "amd64" } };
        Attestation attestation = Attestation.Create(image, "pkg:docker/r/app?platform=linux%2Famd64", [(SpdxDocument.PredicateType, "{\"a\":1}"u8.ToArray()), (SlsaProvenance.PredicateType, "{}"u8.ToArray())]);

        Assert.Equal(("unknown", "unknown"), (attestation.Descriptor.Platform!.Os, attestation.Descriptor.Platform.Architecture));
        Assert.Equal(image.Digest.ToString(), attestation.Descriptor.AttestedDigest);
        Assert.Equal("attestation-manifest", attestation.Descriptor.Annotations![Attestation.ReferenceTypeKey]);
        Assert.True(attestation.Descriptor.IsAttestation);
        ImageManifest manifest = OciJson.Deserialize<ImageManifest>(attestation.Manifest, "test");
        Assert.Equal([SpdxDocument.PredicateType, SlsaProvenance.PredicateType], manifest.Layers.Select(l => l.Annotations![Attestation.PredicateTypeKey]));
        Assert.All(manifest.Layers, l => Assert.Equal(Attestation.StatementMediaType, l.MediaType));
        Assert.Equal(Digest.Sha256(attestation.Config), manifest.Config.Digest);

        JsonNode statement = JsonNode.Parse(attestation.Statements[0])!;
        Assert.Equal("https://in-toto.io/Statement/v1", statement["_type"]!.GetValue<string>());
        Assert.Equal(image.Digest.Encoded, statement["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
        Assert.Equal(1, statement["predicate"]!["a"]!.GetValue<int>());
    }

    [Fact]
    public void TheAssetsFileGivesTheRidsPackagesWithTheirHashesAndTheRuntimePacksOfSelfContainedApps()
    {
        string cache = Path.Combine(_folder, "nuget");
        string pack = Path.Combine(cache, "microsoft.netcore.app.runtime.linux-arm64", "10.0.12");
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "microsoft.netcore.app.runtime.linux-arm64.10.0.12.nupkg.sha512"), Convert.ToBase64String(new byte[64]));
        string assets = Path.Combine(_folder, "project.assets.json");
        File.WriteAllText(assets, $$"""
            {
              "version": 3,
              "targets": {
                "net10.0": { "Acme.Greeting/1.2.3": { "type": "package" } },
                "net10.0/linux-arm64": { "Acme.Greeting/1.2.3": { "type": "package" }, "Acme.Native/2.0.0": { "type": "package" }, "Lib/1.0.0": { "type": "project" } }
              },
              "libraries": {
                "Acme.Greeting/1.2.3": { "sha512": "{{Convert.ToBase64String(Enumerable.Repeat((byte)0xAB, 64).ToArray())}}", "type": "package" },
                "Acme.Native/2.0.0": { "type": "package" }
              },
              "packageFolders": { "{{cache.Replace("\\", "\\\\", StringComparison.Ordinal)}}": {} },
              "project": { "frameworks": { "net10.0": { "frameworkReferences": { "Microsoft.NETCore.App": { "privateAssets": "all" } }, "downloadDependencies": [
                { "name": "Microsoft.AspNetCore.App.Runtime.linux-arm64", "version": "[10.0.12, 10.0.12]" },
                { "name": "Microsoft.NETCore.App.Runtime.linux-arm64", "version": "[10.0.12, 10.0.12]" },
                { "name": "Microsoft.NETCore.App.Runtime.linux-x64", "version": "[10.0.12, 10.0.12]" },
                { "name": "Microsoft.NETCore.App.Host.linux-arm64", "version": "[10.0.12, 10.0.12]" }
              ] } } }
            }
            """);

        IReadOnlyList<NuGetPackage> dependent = AssetsFile.Load(assets).Packages("net10.0", "linux-arm64", selfContained: false);
        Assert.Equal(["Acme.Greeting", "Acme.Native"], dependent.Select(p => p.Id));
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 64)), dependent[0].Sha512);
        Assert.Equal(string.Empty, dependent[1].Sha512);

        IReadOnlyList<NuGetPackage> selfContained = AssetsFile.Load(assets).Packages("net10.0", "linux-arm64", selfContained: true);
        NuGetPackage runtime = Assert.Single(selfContained, p => p.Id.StartsWith("Microsoft.", StringComparison.Ordinal));
        Assert.Equal(("Microsoft.NETCore.App.Runtime.linux-arm64", "10.0.12", new string('0', 128)), (runtime.Id, runtime.Version, runtime.Sha512));

        MultiArchException missing = Assert.Throws<MultiArchException>(() => AssetsFile.Load(Path.Combine(_folder, "none.json")));
        Assert.Equal("MAC4012", missing.Diagnostic.Code);
        File.WriteAllText(assets, "{ not json");
        Assert.Equal("MAC4012", Assert.Throws<MultiArchException>(() => AssetsFile.Load(assets)).Diagnostic.Code);
    }
}
