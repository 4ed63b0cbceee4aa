namespace MultiArchContainers.Oci.Report;

/// <summary>The metadata file's document, under <see cref="OciJson.Options"/>' rules.</summary>
[JsonSerializable(typeof(MetadataDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
    // Made on first use: the generated Default is not set yet while this class's static fields are initialized.
    private static JsonSerializerOptions? _rules;

    /// <summary><see cref="OciJson.Options"/> with this context's types.</summary>
    public static JsonSerializerOptions Rules => _rules ??= OciJson.With(Default);
}
