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
internal sealed partial class OciJsonContext : JsonSerializerContext;
