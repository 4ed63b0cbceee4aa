using System.Text.Json.Serialization;

namespace MultiArchContainers.Oci.Incremental;

/// <summary>
/// What one RID's last successful build was made from (its <see cref="InputState"/>, taken before the build read
/// anything), the key of the image it made (<see cref="ImageStore"/>), and when it finished. Kept in the RID's cache
/// folder as <see cref="FileName"/>.
/// </summary>
public sealed record InputRecord(
    [property: JsonPropertyName("state")] InputState State,
    [property: JsonPropertyName("imageKey")] string ImageKey,
    [property: JsonPropertyName("completedAt")] long CompletedAtTicks)
{
    public const string FileName = "inputs.json";

    public void Write(string folder) => CacheFolder.WriteFile(Path.Combine(folder, FileName), OciJson.Serialize(this));

    /// <summary>The record in <paramref name="folder"/>, or null when there is none or it cannot be read.</summary>
    public static InputRecord? Read(string folder) => CacheFolder.ReadJson<InputRecord>(Path.Combine(folder, FileName), "the input record");
}
