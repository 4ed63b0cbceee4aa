namespace MultiArchContainers.Oci.Collect.Attest;

/// <summary>A file of the application as the image holds it: its path in the image and its hashes (hex).</summary>
internal sealed record ApplicationFile(string Path, string Sha256, string Sha1);
