namespace MultiArchContainers.Testing;

/// <summary>
/// Packs for RIDs whose real ones the package feed here does not serve (linux-arm, linux-s390x): an apphost pack
/// holding a copy of the installed SDK's linux-x64 apphost (the SDK only patches it, a framework-dependent image never
/// runs it here) and empty runtime packs, which restore downloads but a framework-dependent publish does not read.
/// </summary>
public static class StubRuntimePacks
{
    /// <summary>Writes the stub packs of <paramref name="rids"/> into <paramref name="feed"/>, in the version of the installed SDK's packs.</summary>
    public static void Write(string feed, params string[] rids)
    {
        string dotnet = Path.GetDirectoryName(Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : "/usr/share/dotnet/dotnet")!;
        string hostPack = Directory.GetDirectories(Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Host.linux-x64")).Order(StringComparer.Ordinal).Last();
        string version = Path.GetFileName(hostPack);
        byte[] apphost = File.ReadAllBytes(Path.Combine(hostPack, "runtimes", "linux-x64", "native", "apphost"));
        foreach (string rid in rids)
        {
            Pack(feed, $"Microsoft.NETCore.App.Host.{rid}", version, ($"runtimes/{rid}/native/apphost", apphost));
            Pack(feed, $"Microsoft.NETCore.App.Runtime.{rid}", version);
            Pack(feed, $"Microsoft.AspNetCore.App.Runtime.{rid}", version);
        }
    }

    private static void Pack(string feed, string id, string version, params (string Path, byte[] Content)[] files)
    {
        string path = Path.Combine(feed, $"{id}.{version}.nupkg");
        if (File.Exists(path))
        {
            return;
        }

        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open(), Encoding.UTF8))
        {
            nuspec.Write($"""<?xml version="1.0" encoding="utf-8"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>{id}</id><version>{version}</version><authors>tests</authors><description>A stub for the tests: restore downloads it, a framework-dependent image does not use it.</description></metadata></package>""");
        }

        foreach ((string name, byte[] content) in files)
        {
            using Stream entry = zip.CreateEntry(name).Open();
            entry.Write(content);
        }
    }
}
