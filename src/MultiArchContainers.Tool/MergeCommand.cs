using System.CommandLine;
using MultiArchContainers.Oci.Annotations;
using MultiArchContainers.Oci.Merge;
using MultiArchContainers.Oci.Registry;
using MultiArchContainers.Oci.Report;
using MultiArchContainers.Oci.Push.Sign;

namespace MultiArchContainers.Tool;

/// <summary>
/// <c>multiarch merge</c>: MergeMultiArch without MSBuild. Flags keep the names and grammar of
/// <c>docker buildx imagetools create</c> where it has them; sources are what MergeMultiArch takes.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(ToolConsole console)
    {
        Option<string[]> tags = new("--tag", "-t")
        {
            Description = "A name of the merged index, registry/repository[:tag]; repeat for more tags of the same repository",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        Option<string[]> annotations = new("--annotation")
        {
            Description = "TYPE[,TYPE][PLATFORM]:KEY=VALUE with TYPE index (the default), manifest, manifest-descriptor or index-descriptor; repeatable",
            Arity = ArgumentArity.OneOrMore,
        };
        Option<string[]> platforms = new("--platform")
        {
            Description = "Keep only these platforms, os/arch[/variant], repeatable or separated by ','",
            Arity = ArgumentArity.OneOrMore,
        };
        Option<bool> append = new("--append") { Description = "Add to the index at the first tag; a source for a platform it has replaces that platform" };
        Option<bool> dryRun = new("--dry-run") { Description = "Print the index that would be pushed, and touch nothing" };
        Option<bool> platformTags = new("--platform-tags") { Description = "Also tag every image on its own as TAG-PLATFORM" };
        Option<string> metadataFile = new("--metadata-file") { Description = "Write the merged index's metadata (digest, names, images) to this JSON file" };
        Option<string> archive = new("--archive") { Description = "Write the index and every image into this OCI archive (.tar) instead of a registry" };
        Option<string> signKey = new("--sign-key") { Description = "Sign every merged image and the index with this ECDSA P-256 private key (PKCS#8 PEM; an encrypted one's password from CONTAINER_SIGNING_KEY_PASSWORD), in cosign's format" };
        Argument<string[]> sources = new("SOURCE")
        {
            Description = "Image references with their registry (an image or an index, by tag or digest), metadata files written by a publish, or OCI archives (PATH[:TAG])",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("merge", "Merge per-platform images into one multi-platform index and push it with every tag")
        {
            tags, annotations, platforms, append, dryRun, platformTags, metadataFile, archive, signKey, sources,
        };
        command.SetAction((result, cancellationToken) => ToolRunner.RunAsync("merge", console, token => RunAsync(
            new Arguments(
                result.GetValue(tags) ?? [],
                result.GetValue(annotations) ?? [],
                result.GetValue(platforms) ?? [],
                result.GetValue(append),
                result.GetValue(dryRun),
                result.GetValue(platformTags),
                result.GetValue(metadataFile) ?? string.Empty,
                result.GetValue(archive) ?? string.Empty,
                result.GetValue(signKey) ?? string.Empty,
                result.GetValue(sources) ?? []),
            console,
            token), cancellationToken));
        return command;
    }

    private sealed record Arguments(
        string[] Tags, string[] Annotations, string[] Platforms, bool Append, bool DryRun, bool PlatformTags,
        string MetadataFile, string Archive, string SignKey, string[] Sources);

    private static async Task RunAsync(Arguments arguments, ToolConsole console, CancellationToken cancellationToken)
    {
        if (TargetName.Parse(arguments.Tags, archive: arguments.Archive.Length > 0, console.Report) is not { } target)
        {
            return;
        }

        var annotations = new List<AnnotationInput>();
        foreach (string entry in arguments.Annotations)
        {
            annotations.AddRange(AnnotationString.ParseOne(entry, $"--annotation '{entry}'", console.Report));
        }

        // The key is checked before anything is copied: a key that cannot sign fails at once.
        using System.Security.Cryptography.ECDsa? key = arguments.SignKey.Length > 0 ? SigningKey.Load(arguments.SignKey, Environment.GetEnvironmentVariable) : null;
        if (console.HasErrors)
        {
            return;
        }

        var request = new MergeRequest
        {
            Sources = arguments.Sources,
            Registry = target.Registry,
            Repository = target.Repository,
            Tags = target.Tags,
            Append = arguments.Append,
            DryRun = arguments.DryRun,
            PlatformTags = arguments.PlatformTags,
            Platforms = arguments.Platforms.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
            ArchiveOutputPath = arguments.Archive,
            Annotations = annotations,
        };

        // The registries the command line names get the environment's credentials of their role; one only a metadata
        // file names gets none.
        using var clients = new RegistryClientPool(target.Registry, RegistryClientPool.NamedBy(arguments.Sources),
            (registry, role) => new ProgressRegistryClient(new RegistryClient(registry, role: role) { OnRetry = console.Info }, console));
        DirectoryInfo workingDirectory = Directory.CreateTempSubdirectory("multiarch-merge-");
        try
        {
            MergeResult? result = await new ImageMerger(clients.For, workingDirectory.FullName, console.Report, console.Info)
                .MergeAsync(request, cancellationToken).ConfigureAwait(false);
            if (result is { Published: null })
            {
                console.Info(OutcomeLines.DryRun(target.Names));
                console.Output.WriteLine(IndentedJson.Format(OciJson.Serialize(result.Index)));
            }
            else if (result is { Published: { } published })
            {
                if (arguments.MetadataFile.Length > 0)
                {
                    MetadataFile.Write(arguments.MetadataFile, MetadataDocument.ForIndex(published));
                }

                if (result.ArchivePath is { } path)
                {
                    console.Info(OutcomeLines.ArchiveWritten(published, target.Tags, path));
                }

                if (key is not null && result.ArchivePath is null)
                {
                    var signer = new ImageSigner(clients.For(target.Registry), target.Repository, key);
                    foreach (Digest digest in published.Images.Select(i => i.Manifest.Digest).Distinct().Append(published.Descriptor.Digest))
                    {
                        await signer.SignAsync(digest, cancellationToken).ConfigureAwait(false);
                    }

                    console.Info($"Signed the image index {published.Descriptor.Digest} and its {published.Images.Count} manifest(s) with {arguments.SignKey}");
                }

                console.Output.WriteLine(published.Descriptor.Digest);
            }
        }
        finally
        {
            workingDirectory.Delete(recursive: true);
        }
    }
}
