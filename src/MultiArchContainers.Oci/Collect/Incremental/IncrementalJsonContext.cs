namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>The records of the incremental cache, under <see cref="OciJson.Options"/>' rules.</summary>
[JsonSerializable(typeof(InputState))]
[JsonSerializable(typeof(InputRecord))]
[JsonSerializable(typeof(CompileRecord))]
[JsonSerializable(typeof(PushRecord))]
internal sealed partial class IncrementalJsonContext : JsonSerializerContext
{
    // Made on first use: the generated Default is not set yet while this class's static fields are initialized.
    private static JsonSerializerOptions? _rules;

    /// <summary><see cref="OciJson.Options"/> with this context's types.</summary>
    public static JsonSerializerOptions Rules => _rules ??= OciJson.With(Default);
}
