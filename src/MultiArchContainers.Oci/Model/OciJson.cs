using System.Text.Encodings.Web;
using System.Text.Json.Serialization.Metadata;

namespace MultiArchContainers.Oci.Model;

/// <summary>How this tool reads and writes OCI JSON documents.</summary>
internal static class OciJson
{
    /// <summary>
    /// Compact output, no nulls, and text kept readable: annotation values are stored as the user wrote them
    /// (only what JSON requires is escaped), so a registry shows the same characters that the project declared.
    /// Type information comes from <see cref="OciJsonContext"/> (Model's types); <see cref="With"/> adds a folder's own.
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

    /// <summary>
    /// <see cref="Options"/> with the types of another folder's context: each folder that stores documents of its own
    /// (the plan, the metadata file, the incremental records) has its context, so Model names none of them.
    /// </summary>
    public static JsonSerializerOptions With(IJsonTypeInfoResolver resolver) => new(Options) { TypeInfoResolver = resolver };

    public static byte[] Serialize<T>(T value, JsonSerializerOptions? options = null) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>(options));

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what, JsonSerializerOptions? options = null) =>
        JsonSerializer.Deserialize(json, TypeInfo<T>(options)) ?? throw new JsonException($"{what} is the JSON literal null.");
}
