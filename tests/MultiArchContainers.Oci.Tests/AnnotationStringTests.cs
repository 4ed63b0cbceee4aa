namespace MultiArchContainers.Oci.Tests;

public class AnnotationStringTests
{
    private static List<AnnotationInput> Parse(string text, List<Diagnostic>? diagnostics = null) =>
        AnnotationString.Parse(text, (diagnostics ?? []).Add).ToList();

    [Fact]
    public void ParsesTypesQualifiersAndValues()
    {
        List<AnnotationInput> parsed = Parse("index:org.opencontainers.image.source=https://x.example.com:443/a?b=c; manifest[linux/arm64]:com.example.arch=arm;manifest,manifest-descriptor[linux-x64]:com.example.both=1");

        Assert.Equal(4, parsed.Count);
        Assert.Equal((AnnotationLevel.Index, "org.opencontainers.image.source", "https://x.example.com:443/a?b=c"), (parsed[0].Level, parsed[0].Key, parsed[0].Value));
        Assert.Equal((AnnotationLevel.Manifest, "com.example.arch", "arm", "linux/arm64"), (parsed[1].Level, parsed[1].Key, parsed[1].Value, parsed[1].Platform));
        Assert.Equal((AnnotationLevel.Manifest, "linux-x64"), (parsed[2].Level, parsed[2].RuntimeIdentifier));
        Assert.Equal((AnnotationLevel.ManifestDescriptor, "linux-x64"), (parsed[3].Level, parsed[3].RuntimeIdentifier));
        Assert.All(parsed, p => Assert.StartsWith("ContainerAnnotations entry '", p.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void OneCommandLineEntryIsTakenLiterally()
    {
        var diagnostics = new List<Diagnostic>();
        List<AnnotationInput> parsed = AnnotationString.ParseOne(@"manifest,manifest-descriptor[linux/arm64/v8]:com.example.path=C:\dir;a\,b", "--annotation 'x'", diagnostics.Add).ToList();

        Assert.Empty(diagnostics);
        Assert.Equal([AnnotationLevel.Manifest, AnnotationLevel.ManifestDescriptor], parsed.Select(p => p.Level));
        Assert.All(parsed, p => Assert.Equal(("com.example.path", @"C:\dir;a\,b", "linux/arm64/v8", "--annotation 'x'"), (p.Key, p.Value, p.Platform, p.Source)));
        AnnotationInput untyped = Assert.Single(AnnotationString.ParseOne("org.opencontainers.image.title=a=b", "--annotation", diagnostics.Add));
        Assert.Equal((AnnotationLevel.Index, "org.opencontainers.image.title", "a=b"), (untyped.Level, untyped.Key, untyped.Value));

        Assert.Empty(AnnotationString.ParseOne("indx[linux/amd64]:com.example.a=b", "--annotation", diagnostics.Add));
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2015", error.Code);
        Assert.StartsWith("The --annotation entry 'indx[linux/amd64]:com.example.a=b'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ADottedKeyBeforeAColonIsAKey()
    {
        AnnotationInput parsed = Assert.Single(Parse("com.example:odd=1"));

        Assert.Equal((AnnotationLevel.Index, "com.example:odd", "1"), (parsed.Level, parsed.Key, parsed.Value));
    }

    [Fact]
    public void EntriesWithoutATypeAreIndexAnnotations()
    {
        AnnotationInput parsed = Assert.Single(Parse("com.example.url=https://example.com:8443/x"));

        Assert.Equal(AnnotationLevel.Index, parsed.Level);
        Assert.Equal("com.example.url", parsed.Key);
        Assert.Equal("https://example.com:8443/x", parsed.Value);
    }

    [Fact]
    public void BackslashEscapesSemicolonsAndCommas()
    {
        AnnotationInput parsed = Assert.Single(Parse(@"index:com.example.list=a\;b\,c\\d, e"));

        Assert.Equal(@"a;b,c\d, e", parsed.Value);
    }

    [Fact]
    public void EmptyValueIsKeptAndMissingValueIsNull()
    {
        List<AnnotationInput> parsed = Parse("index:com.example.empty=;index:com.example.none");

        Assert.Equal(string.Empty, parsed[0].Value);
        Assert.Null(parsed[1].Value);
    }

    [Theory]
    [InlineData("manifests[linux/arm64]:k.e.y=v")]
    [InlineData("index,nope:k.e.y=v")]
    [InlineData("manifest[linux/arm64:k.e.y=v")]
    [InlineData("manifest[]:k.e.y=v")]
    [InlineData("manifests:k.e.y=v")]
    public void MalformedPrefixesAreMac2015(string text)
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Empty(Parse(text, diagnostics));

        Assert.Equal("MAC2015", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void BlankInputGivesNothing()
    {
        Assert.Empty(Parse("  ; ;"));
        Assert.Empty(AnnotationString.Parse(null, _ => { }));
    }
}
