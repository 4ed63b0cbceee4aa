namespace MultiArchContainers.Oci.Report;

/// <summary>Reads and writes <see cref="MetadataDocument"/>s.</summary>
internal static class MetadataFile
{
    /// <summary>No metadata file is near this; a larger one is not read.</summary>
    public const int Limit = 1024 * 1024;

    private static readonly JsonSerializerOptions Indented = new(ReportJsonContext.Rules) { WriteIndented = true };

    /// <summary>Reading is strict: every key without a default must be there, and not null where null is not allowed.</summary>
    private static readonly JsonSerializerOptions Strict = new(ReportJsonContext.Rules) { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };

    public static string Serialize(MetadataDocument document) => JsonSerializer.Serialize(document, OciJson.TypeInfo<MetadataDocument>(Indented)) + "\n";

    /// <summary>Writes the file only when its content changed, so later incremental steps see a stable timestamp.</summary>
    public static void Write(string path, MetadataDocument document)
    {
        string text = Serialize(document);
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MultiArchException(MessageIds.MetadataWriteFailed, path, ex.Message);
        }
    }

    /// <summary>The document in <paramref name="content"/>, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static MetadataDocument? TryParse(ReadOnlySpan<byte> content, out string? error)
    {
        error = null;
        if (content.Length > Limit)
        {
            error = $"it is larger than {Limit} bytes";
            return null;
        }

        try
        {
            MetadataDocument document = JsonSerializer.Deserialize(content, OciJson.TypeInfo<MetadataDocument>(Strict)) ?? throw new JsonException("the metadata file is the JSON literal null.");
            if (document.Images() is null)
            {
                error = "an image in it has no valid platform";
                return null;
            }

            return document;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>Reads a metadata file as a merge source: MAC2019 when it is missing or not one of this SDK's.</summary>
    public static MetadataDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, "the file does not exist");
        }

        using FileStream file = File.OpenRead(path);
        if (file.Length > Limit)
        {
            throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"it is larger than {Limit} bytes");
        }

        byte[] content = new byte[file.Length];
        file.ReadExactly(content);
        return TryParse(content, out string? error)
            ?? throw new MultiArchException(MessageIds.MergeSourceInvalid, path, $"it is not a metadata file of this SDK ({error})");
    }
}
