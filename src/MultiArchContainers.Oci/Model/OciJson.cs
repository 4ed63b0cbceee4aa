using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MultiArchContainers.Oci.Model;

/// <summary>How this tool reads and writes OCI JSON documents.</summary>
internal static class OciJson
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

    /// <summary>The type's metadata under <paramref name="options"/> (<see cref="Options"/> when null).</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions? options = null) => (JsonTypeInfo<T>)(options ?? Options).GetTypeInfo(typeof(T));

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what) =>
        JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new JsonException($"{what} is the JSON literal null.");
}
