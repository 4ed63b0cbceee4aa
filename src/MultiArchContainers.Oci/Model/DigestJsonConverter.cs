namespace MultiArchContainers.Oci.Model;

/// <summary>Reads and writes a <see cref="Digest"/> as its string form; an invalid digest is a JSON error.</summary>
internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.GetString();
        return Digest.TryParse(text, out Digest digest) ? digest : throw new JsonException($"'{text}' is not a valid digest.");
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
