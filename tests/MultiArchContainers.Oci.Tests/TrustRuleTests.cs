using MultiArchContainers.Oci.Registry.Auth;

namespace MultiArchContainers.Oci.Tests;

/// <summary>The parsing rules that keep hostile input out: digests, references, token realms, archives, SOURCE_DATE_EPOCH.</summary>
public sealed class TrustRuleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mac-trust-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("sha256:" + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", true)]
    [InlineData("sha384:" + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", true)]
    [InlineData("sha256:" + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90\n", false)]
    [InlineData("sha256:" + "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90", false)]
    [InlineData("sha256:" + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", false)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", false)]
    [InlineData("sha256+b64:abc", false)]
    public void OnlySha256Sha384AndSha512WithTheirExactLengthAreDigests(string text, bool valid)
    {
        Assert.Equal(valid, Digest.TryParse(text, out _));
    }

    [Theory]
    [InlineData("1.0\n")]
    [InlineData("1.0\r")]
    [InlineData("-1.0")]
    public void TagsAreMatchedToTheEnd(string tag)
    {
        Assert.False(ImageReference.IsValidTag(tag));
        Assert.Null(ImageReference.TryParse($"registry.example.com/team/app:{tag}", out _));
    }

    [Fact]
    public void RepositoriesAndRegistriesAreMatchedToTheEnd()
    {
        Assert.False(ImageReference.IsValidRepository("team/app\n", out _));
        Assert.False(ImageReference.IsValidRegistry("registry.example.com\n"));
    }

    [Theory]
    [InlineData("https://auth.example.com/token", false, null)]
    [InlineData("http://127.0.0.1:5001/token", true, null)]
    [InlineData("http://auth.example.com/token", false, "not https")]
    [InlineData("https://user:pass@auth.example.com/token", false, "user info")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, "link-local")]
    [InlineData("https://[fe80::1]/token", false, "link-local")]
    [InlineData("https://224.0.0.1/token", false, "link-local, multicast")]
    [InlineData("https://0.0.0.0/token", false, "unspecified")]
    [InlineData("https://[::ffff:169.254.1.1]/token", false, "link-local")]
    [InlineData("/token", false, "absolute")]
    [InlineData("file:///etc/passwd", false, "absolute")]
    public void ATokenRealmMustBeAnHttpsUrlWithoutUserInfoOnARoutableAddress(string realm, bool plainRegistry, string? problem)
    {
        Uri? uri = TokenRealm.Check(realm, plainRegistry, out string? why);

        if (problem is null)
        {
            Assert.NotNull(uri);
        }
        else
        {
            Assert.Null(uri);
            Assert.Contains(problem, why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LinkLocalAndMetadataAddressesAreForbiddenByParsingThem()
    {
        Assert.True(TokenRealm.IsForbidden(IPAddress.Parse("169.254.169.254")));
        Assert.True(TokenRealm.IsForbidden(IPAddress.Parse("fe80::a9fe:a9fe")));
        Assert.False(TokenRealm.IsForbidden(IPAddress.Loopback));
        Assert.False(TokenRealm.IsForbidden(IPAddress.Parse("10.1.2.3")));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public void ABadSourceDateEpochIsMac2018(string value)
    {
        var error = Assert.ThrowsAny<MultiArchException>(() => Timestamps.ParseSourceDateEpoch(value));

        Assert.Equal("MAC2018", error.Diagnostic.Code);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    private string Archive(params TarEntry[] entries)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".tar");
        using (FileStream file = System.IO.File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            foreach (TarEntry entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return path;
    }

    private static PaxTarEntry Entry(string name, string content = "{}") =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    [Theory]
    [InlineData(TarEntryType.Fifo, "blobs/sha256/" + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90")]
    [InlineData(TarEntryType.SymbolicLink, "index.json")]
    [InlineData(TarEntryType.HardLink, "index.json")]
    [InlineData(TarEntryType.CharacterDevice, "index.json")]
    public void SpecialFilesInAnArchiveAreRefusedAtOnce(TarEntryType type, string name)
    {
        var special = new PaxTarEntry(type, name);
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            special.LinkName = "/etc/passwd";
        }

        string path = Archive(Entry("oci-layout"), special);

        var error = Assert.ThrowsAny<MultiArchException>(() => OciArchiveReader.Extract(path, Path.Combine(_folder, "out"), path));

        Assert.Equal("MAC4002", error.Diagnostic.Code);
        Assert.Contains(type.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(Path.Combine(_folder, "out", name)));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("blobs/sha256/../../escape")]
    [InlineData("/etc/cron.d/x")]
    [InlineData("blobs/sha256/not-hex")]
    [InlineData("extra.txt")]
    public void NamesAnImageLayoutDoesNotHaveAreRefused(string name)
    {
        string path = Archive(Entry("oci-layout"), Entry(name));

        var error = Assert.ThrowsAny<MultiArchException>(() => OciArchiveReader.Extract(path, Path.Combine(_folder, "out"), path));

        Assert.Equal("MAC4002", error.Diagnostic.Code);
        Assert.False(System.IO.File.Exists(Path.Combine(_folder, "escape")));
    }

    [Fact]
    public void TheIndexIsReadWithTheSameChecksAndNothingUnpacked()
    {
        string blob = "blobs/sha256/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("layer"u8));
        string good = Archive(Entry("oci-layout"), Entry(blob, "layer"), Entry("index.json", "{\"manifests\":[]}"));

        Assert.Equal("{\"manifests\":[]}", System.Text.Encoding.UTF8.GetString(OciArchiveReader.ReadIndex(good, good)));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_folder), e => !e.EndsWith(".tar", StringComparison.Ordinal));

        var special = new PaxTarEntry(TarEntryType.SymbolicLink, "blobs/sha256/x") { LinkName = "/etc/passwd" };
        string bad = Archive(Entry("index.json"), special);
        Assert.Equal("MAC4002", Assert.ThrowsAny<MultiArchException>(() => OciArchiveReader.ReadIndex(bad, bad)).Diagnostic.Code);
        string none = Archive(Entry("oci-layout"));
        Assert.Contains("no index.json", Assert.ThrowsAny<MultiArchException>(() => OciArchiveReader.ReadIndex(none, none)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateEntryIsRefused()
    {
        string path = Archive(Entry("index.json", "{\"manifests\":[]}"), Entry("index.json", "{}"));

        var error = Assert.ThrowsAny<MultiArchException>(() => OciArchiveReader.Extract(path, Path.Combine(_folder, "out"), path));

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArchiveIsNotLeftBehindWhenABlobDoesNotMatchItsDigest()
    {
        string blob = Path.Combine(_folder, "blob");
        System.IO.File.WriteAllText(blob, "tampered");
        var writer = new OciArchiveWriter();
        writer.AddFile(Digest.Sha256("original"u8), blob);
        string archive = Path.Combine(_folder, "out.tar");
        var index = Descriptor.For(MediaTypes.OciIndex, "{}"u8.ToArray());

        var error = Assert.ThrowsAny<MultiArchException>(() => writer.Write(archive, index, ["1.0"], new Dictionary<string, string>()));

        Assert.Equal("MAC1004", error.Diagnostic.Code);
        Assert.False(System.IO.File.Exists(archive));
        Assert.False(System.IO.File.Exists(archive + ".partial"));
    }
}
