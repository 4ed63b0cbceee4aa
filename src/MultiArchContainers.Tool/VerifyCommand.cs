using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.CommandLine;
using MultiArchContainers.Oci.Registry;
using MultiArchContainers.Oci.Push.Sign;

namespace MultiArchContainers.Tool;

/// <summary>
/// <c>multiarch verify --key PUBLIC.pem REF</c>: checks the cosign signature of REF and, for an index, of every manifest
/// it lists, against the public key; prints what is signed and what is not, and exits 0 only when all are.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(ToolConsole console)
    {
        Argument<string> reference = new("REF") { Description = "registry/repository[:tag|@digest] of an index or an image" };
        Option<string> key = new("--key") { Description = "The public key (PEM, BEGIN PUBLIC KEY) the signatures must verify with", Required = true };
        var command = new Command("verify", "Check that an index and every manifest it lists are signed with a key (cosign's format); exit code 0 only when all are") { reference, key };
        command.SetAction((result, cancellationToken) => ToolRunner.RunAsync("verify", console, token => RunAsync(
            result.GetValue(reference)!, result.GetValue(key)!, console, token), cancellationToken));
        return command;
    }

    private static async Task RunAsync(string text, string keyPath, ToolConsole console, CancellationToken cancellationToken)
    {
        if (ImageReference.TryParse(text, out string? error) is not { } reference || reference.Registry.Length == 0)
        {
            console.Report(Diagnostic.Error(MessageIds.InvalidReference, text, "REF", error ?? "verify needs the registry: registry/repository[:tag|@digest]"));
            return;
        }

        using ECDsa key = SigningKey.LoadPublic(keyPath);
        using var clients = new RegistryClientPool(string.Empty, [reference.Registry],
            (registry, role) => new RegistryClient(registry, role: role) { OnRetry = console.Info });
        IRegistryClient client = clients.For(reference.Registry);
        ManifestContent top = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        var targets = new List<(Digest Digest, string What)> { (top.Digest, MediaTypes.IsIndex(top.MediaType) ? "index" : "image") };
        if (MediaTypes.IsIndex(top.MediaType) && JsonNode.Parse(top.Content)?["manifests"] is JsonArray manifests)
        {
            foreach (JsonNode? entry in manifests)
            {
                if (entry?["digest"]?.GetValue<string>() is { } digest && Digest.TryParse(digest, out Digest parsed))
                {
                    string os = entry["platform"]?["os"]?.GetValue<string>() ?? "?";
                    string architecture = entry["platform"]?["architecture"]?.GetValue<string>() ?? "?";
                    string? variant = entry["platform"]?["variant"]?.GetValue<string>();
                    targets.Add((parsed, os == "unknown" ? "attestation" : $"{os}/{architecture}{(variant is null ? string.Empty : "/" + variant)}"));
                }
            }
        }

        var store = new SignatureStore(client, reference.Repository);
        var signer = new ImageSigner(client, reference.Repository, key);
        int unsigned = 0;
        foreach ((Digest digest, string what) in targets)
        {
            bool cosign = await store.IsSignedAsync(digest, key, cancellationToken).ConfigureAwait(false);
            bool bundle = await signer.HasBundleAsync(digest, cancellationToken).ConfigureAwait(false);
            bool signed = cosign && bundle;
            unsigned += signed ? 0 : 1;
            string forms = (cosign, bundle) switch { (true, true) => "cosign, bundle", (true, false) => "cosign only", (false, true) => "bundle only", _ => "none" };
            console.Output.WriteLine(SafeText.Escape($"{(signed ? "signed  " : "UNSIGNED")}  {what,-16}  {reference.Registry}/{reference.Repository}@{digest}  ({forms})"));
        }

        if (unsigned > 0)
        {
            console.Report(Diagnostic.Error(MessageIds.NotSigned, unsigned, targets.Count, text, keyPath));
        }
    }
}
