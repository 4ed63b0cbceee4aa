using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiArchContainers.Tool;

/// <summary>Re-indents a JSON document for people to read, keeping every character of its strings.</summary>
internal static class IndentedJson
{
    public static string Format(ReadOnlySpan<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
