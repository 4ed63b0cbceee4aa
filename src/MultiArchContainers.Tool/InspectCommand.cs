using System.CommandLine;
using MultiArchContainers.Oci.Registry;

namespace MultiArchContainers.Tool;

/// <summary><c>multiarch inspect</c>: the platforms, digests, sizes, annotations and attestations of an index or image.</summary>
internal static class InspectCommand
{
    public static Command Create(ToolConsole console)
    {
        Argument<string> reference = new("REF") { Description = "registry/repository[:tag|@digest] of an index or an image" };
        Option<bool> raw = new("--raw") { Description = "Print the manifest or index exactly as the registry stores it" };
        Option<string> format = new("--format")
        {
            Description = "table (for people) or json (for scripts)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        Option<bool> tags = new("--tags") { Description = "List every tag of REF's repository instead (all pages of the registry's list)" };

        var command = new Command("inspect", "Show the platforms, digests, sizes, annotations and attestations of an index or image") { reference, raw, format, tags };
        command.SetAction((result, cancellationToken) => ToolRunner.RunAsync("inspect", console, token => RunAsync(
            result.GetValue(reference)!, result.GetValue(raw), result.GetValue(format) == "json", result.GetValue(tags), console, token), cancellationToken));
        return command;
    }

    private static async Task RunAsync(string text, bool raw, bool json, bool listTags, ToolConsole console, CancellationToken cancellationToken)
    {
        if (ImageReference.TryParse(text, out string? error) is not { } reference || reference.Registry.Length == 0)
        {
            console.Report(Diagnostic.Error(MessageIds.InvalidReference, text, "REF", error ?? "inspect needs the registry: registry/repository[:tag|@digest]"));
            return;
        }

        using var clients = new RegistryClientPool(string.Empty, [reference.Registry],
            (registry, role) => new ProgressRegistryClient(new RegistryClient(registry, role: role) { OnRetry = console.Info }, console));
        IRegistryClient client = clients.For(reference.Registry);
        if (listTags)
        {
            IReadOnlyList<string> names = await client.ListTagsAsync(reference.Repository, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                await using Stream output = Console.OpenStandardOutput();
                await using (var writer = new System.Text.Json.Utf8JsonWriter(output))
                {
                    writer.WriteStartArray();
                    names.ToList().ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }

                await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (string name in names)
                {
                    console.Output.WriteLine(SafeText.Escape(name));
                }
            }

            return;
        }

        ManifestContent content = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (raw)
        {
            await using Stream output = Console.OpenStandardOutput();
            await output.WriteAsync(content.Content, cancellationToken).ConfigureAwait(false);
            return;
        }

        InspectedImage image = await InspectedImage.ReadAsync(client, reference, content, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await using Stream output = Console.OpenStandardOutput();
            InspectReport.WriteJson(image, output);
        }
        else
        {
            InspectReport.WriteTable(image, console.Output);
        }
    }
}
