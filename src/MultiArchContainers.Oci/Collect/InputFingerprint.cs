using System.Security.Cryptography;
using System.Text;

namespace MultiArchContainers.Oci.Collect;

/// <summary>
/// The fingerprint of what a publish was asked to build, beyond the files it reads: the tool's own build, the global
/// properties (the command line) and the item lists (sources, references, container items). Part of each
/// <see cref="InputSnapshot"/>.
/// </summary>
public static class InputFingerprint
{
    /// <summary>Global properties that differ on every publish and do not change what is built.</summary>
    public static readonly IReadOnlySet<string> VolatileProperties =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "_MultiArchRunId", "_MultiArchNodeAssignmentFile", "MSBuildRestoreSessionId" };

    public static string Compute(Guid toolBuild, IReadOnlyDictionary<string, string> globalProperties, IEnumerable<string> items)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add($"tool {toolBuild}");
        foreach ((string name, string value) in globalProperties.Where(p => !VolatileProperties.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            Add($"global {name.ToLowerInvariant()}={value}");
        }

        foreach (string item in items)
        {
            Add(item);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
