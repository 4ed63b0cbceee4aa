namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>A NuGet package of a build's resolved graph; <see cref="Sha512"/> is hex, empty when unknown.</summary>
internal sealed record NuGetPackage(string Id, string Version, string Sha512)
{
    /// <summary>The package URL: <c>pkg:nuget/Id@Version</c>.</summary>
    public string Purl => $"pkg:nuget/{Uri.EscapeDataString(Id)}@{Uri.EscapeDataString(Version)}";
}
