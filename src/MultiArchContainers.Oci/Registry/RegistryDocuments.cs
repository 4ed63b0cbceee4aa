namespace MultiArchContainers.Oci.Registry;

/// <summary>Parses a manifest, index or config read from a registry: JSON that is not the document it should be is MAC1012.</summary>
internal static class RegistryDocuments
{
    public static T Parse<T>(byte[] content, string registry, string source, string what)
    {
        try
        {
            return OciJson.Deserialize<T>(content, what);
        }
        catch (JsonException ex)
        {
            throw new MultiArchException(MessageIds.RegistryResponseInvalid, registry, $"reading {source}", $"{what} is not valid JSON of that kind ({ex.Message})");
        }
    }
}
