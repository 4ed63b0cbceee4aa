namespace MultiArchContainers.Oci.Plan;

/// <summary>The documents the Plan stage writes for the later stages, under <see cref="OciJson.Options"/>' rules.</summary>
[JsonSerializable(typeof(PublishPlan))]
[JsonSerializable(typeof(NodeAssignment))]
internal sealed partial class PlanJsonContext : JsonSerializerContext
{
    // Made on first use: the generated Default is not set yet while this class's static fields are initialized.
    private static JsonSerializerOptions? _rules;

    /// <summary><see cref="OciJson.Options"/> with this context's types.</summary>
    public static JsonSerializerOptions Rules => _rules ??= OciJson.With(Default);
}
