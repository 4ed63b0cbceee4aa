using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Model;

/// <summary>How this tool reads and writes OCI JSON documents.</summary>
public static class OciJson
{
    /// <summary>
    /// Compact output, no nulls, and text kept readable: annotation values are stored as the user wrote them
    /// (only what JSON requires is escaped), so a registry shows the same characters that the project declared.
    /// Type information comes from <see cref="OciJsonContext"/> only.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        TypeInfoResolver = OciJsonContext.Default,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"{what} is the JSON literal null.");
}
