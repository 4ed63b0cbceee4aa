namespace MultiArchContainers.Testing;

/// <summary>
/// One platform's image as a registry holds it, read back with skopeo (never with this project's client): its layer
/// digests and the files of its last layer, where the .NET SDK puts the app.
/// </summary>
public sealed record PlatformImageContent(IReadOnlyList<string> LayerDigests, IReadOnlyDictionary<string, byte[]> AppFiles)
{
    public static async Task<PlatformImageContent> ReadAsync(string reference, string architecture, string? variant = null)
    {
        string folder = Directory.CreateTempSubdirectory("mac-image-").FullName;
        try
        {
            var arguments = new List<string> { "copy", "--src-tls-verify=false", "--override-os", "linux", "--override-arch", architecture };
            if (variant is not null)
            {
                arguments.AddRange(["--override-variant", variant]);
            }

            arguments.AddRange([$"docker://{reference}", $"oci:{folder}:image"]);
            ProcessResult copy = await ProcessRunner.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(2));
            if (copy.ExitCode != 0)
            {
                throw new InvalidOperationException($"skopeo copy {reference} ({architecture}) failed:\n{copy.Combined}");
            }

            string Blob(string digest) => Path.Combine(folder, "blobs", "sha256", digest["sha256:".Length..]);
            JsonNode index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "index.json")))!;
            JsonNode manifest = JsonNode.Parse(File.ReadAllText(Blob(index["manifests"]![0]!["digest"]!.GetValue<string>())))!;
            string[] layers = [.. manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>())];
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using (FileStream top = File.OpenRead(Blob(layers[^1])))
            using (var gzip = new GZipStream(top, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.DataStream is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        using var content = new MemoryStream();
                        entry.DataStream.CopyTo(content);
                        files[entry.Name.TrimStart('.', '/')] = content.ToArray();
                    }
                }
            }

            return new PlatformImageContent(layers, files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The text of an app file (path below the layer's root, e.g. <c>app/app.runtimeconfig.json</c>).</summary>
    public string Text(string path) => AppFiles.TryGetValue(path, out byte[]? content)
        ? System.Text.Encoding.UTF8.GetString(content)
        : throw new KeyNotFoundException($"{path} is not in the image's app layer; it holds {string.Join(", ", AppFiles.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>Writes the app layer to a folder and runs <paramref name="assembly"/> with the machine's dotnet; returns its output.</summary>
    public async Task<string> RunAsync(string assembly)
    {
        string folder = Directory.CreateTempSubdirectory("mac-app-").FullName;
        try
        {
            foreach ((string path, byte[] content) in AppFiles)
            {
                string file = Path.Combine(folder, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, content);
            }

            ProcessResult run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(folder, assembly)], folder, timeout: TimeSpan.FromMinutes(1));
            return run.ExitCode == 0 ? run.StandardOutput : throw new InvalidOperationException($"dotnet {assembly} failed ({run.ExitCode}):\n{run.Combined}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
