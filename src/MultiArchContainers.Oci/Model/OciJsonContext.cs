using System.Text.Json.Serialization;
using MultiArchContainers.Oci.Plan;
using MultiArchContainers.Oci.Report;

namespace MultiArchContainers.Oci.Model;

/// <summary>
/// Compile-time JSON metadata for every document this tool reads or writes, so that the same code runs in MSBuild
/// and in the natively compiled <c>multiarch</c> command, where reflection-based serialization is not available.
/// A type missing here fails every test that touches it, not only the native build.
/// </summary>
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Platform))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(PublishPlan))]
[JsonSerializable(typeof(NodeAssignment))]
[JsonSerializable(typeof(MetadataDocument))]
[JsonSerializable(typeof(Incremental.InputState))]
[JsonSerializable(typeof(Incremental.InputRecord))]
[JsonSerializable(typeof(Incremental.CompileRecord))]
[JsonSerializable(typeof(Incremental.PushRecord))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
