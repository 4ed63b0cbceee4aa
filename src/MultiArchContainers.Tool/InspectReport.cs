using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiArchContainers.Tool;

/// <summary>
/// Writes an <see cref="InspectedImage"/> as a table for people (through <see cref="SafeText"/>) or as JSON for scripts
/// (exact: JSON escapes control characters itself).
/// </summary>
internal static class InspectReport
{
    public static void WriteTable(InspectedImage image, TextWriter output)
    {
        Line(output, $"Name:       {image.Name}");
        Line(output, $"MediaType:  {image.Content.MediaType}");
        Line(output, $"Digest:     {image.Content.Digest}");
        Line(output, $"Size:       {image.Content.Content.Length}");
        if (image.Platform is { } platform)
        {
            Line(output, $"Platform:   {platform}");
        }

        WriteAnnotations(output, "Annotations:", image.Annotations, "  ");
        if (image.IsIndex)
        {
            output.WriteLine();
            output.WriteLine("Manifests:");
            int width = Math.Max("PLATFORM".Length, image.Manifests.Select(m => m.Platform.Length).DefaultIfEmpty(0).Max());
            Line(output, $"  {"PLATFORM".PadRight(width)}  {"DIGEST",-71}  SIZE");
            foreach (InspectedEntry entry in image.Manifests)
            {
                Line(output, $"  {entry.Platform.PadRight(width)}  {entry.Descriptor.Digest,-71}  {entry.Descriptor.Size}");
                WriteAnnotations(output, null, entry.Descriptor.Annotations, "    ");
            }

            output.WriteLine();
            Line(output, image.Attestations.Count == 0 ? "Attestations: none" : "Attestations:");
            foreach (InspectedEntry entry in image.Attestations)
            {
                Line(output, $"  {entry.Descriptor.Digest}  {entry.Descriptor.Size}  for {entry.AttestedPlatform ?? "(an image not in this index)"} {entry.Descriptor.AttestedDigest}");
                foreach (string type in entry.PredicateTypes)
                {
                    Line(output, $"    {type}");
                }
            }
        }
        else
        {
            output.WriteLine();
            Line(output, $"Config:     {image.Config!.Digest}  {image.Config.Size}");
            Line(output, $"Layers:     {image.Layers.Count}, {image.Layers.Sum(l => l.Size)} bytes");
            foreach (Descriptor layer in image.Layers)
            {
                Line(output, $"  {layer.Digest}  {layer.Size}  {layer.MediaType}");
            }
        }
    }

    /// <summary>One line of the table: every value in it came from a registry, so it goes through <see cref="SafeText"/>.</summary>
    private static void Line(TextWriter output, string text) => output.WriteLine(SafeText.Escape(text));

    public static void WriteJson(InspectedImage image, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("name", image.Name);
        writer.WriteString("mediaType", image.Content.MediaType);
        writer.WriteString("digest", image.Content.Digest.ToString());
        writer.WriteNumber("size", image.Content.Content.Length);
        if (image.Platform is { } platform)
        {
            writer.WriteString("platform", platform.ToString());
        }

        WriteMap(writer, "annotations", image.Annotations);
        if (image.IsIndex)
        {
            writer.WriteStartArray("manifests");
            foreach (InspectedEntry entry in image.Manifests)
            {
                WriteEntry(writer, entry);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("attestations");
            foreach (InspectedEntry entry in image.Attestations)
            {
                WriteEntry(writer, entry);
                writer.WriteString("attests", entry.Descriptor.AttestedDigest);
                if (entry.AttestedPlatform is { } attested)
                {
                    writer.WriteString("attestsPlatform", attested);
                }

                writer.WriteStartArray("predicateTypes");
                entry.PredicateTypes.ToList().ForEach(writer.WriteStringValue);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WritePropertyName("config");
            WriteDescriptor(writer, image.Config!);
            writer.WriteStartArray("layers");
            foreach (Descriptor layer in image.Layers)
            {
                WriteDescriptor(writer, layer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>Starts the entry's object and leaves it open for what only some entries have.</summary>
    private static void WriteEntry(Utf8JsonWriter writer, InspectedEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("platform", entry.Platform);
        writer.WriteString("mediaType", entry.Descriptor.MediaType);
        writer.WriteString("digest", entry.Descriptor.Digest.ToString());
        writer.WriteNumber("size", entry.Descriptor.Size);
        WriteMap(writer, "annotations", entry.Descriptor.Annotations ?? new Dictionary<string, string>());
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteNumber("size", descriptor.Size);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach ((string key, string value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteAnnotations(TextWriter output, string? heading, IReadOnlyDictionary<string, string>? annotations, string indent)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return;
        }

        if (heading is not null)
        {
            Line(output, heading);
        }

        foreach ((string key, string value) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Line(output, $"{indent}{key}: {value}");
        }
    }
}
