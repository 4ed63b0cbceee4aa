namespace MultiArchContainers.Oci.Tests;

public class AnnotationsTests
{
    private const string Item = "ContainerIndexAnnotation item";

    private static readonly AnnotationContext TwoPlatforms = new(
    [
        ("linux-x64", new Platform { Os = "linux", Architecture = "amd64" }),
        ("linux-arm64", new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" }),
    ]);

    private static AnnotationInput Index(string key, string? value) => new(Item, AnnotationLevel.Index, key, value);

    private static (AnnotationSet? Set, List<Diagnostic> Diagnostics) Resolve(params AnnotationInput[] inputs) => Resolve(TwoPlatforms, inputs);

    private static (AnnotationSet? Set, List<Diagnostic> Diagnostics) Resolve(AnnotationContext context, params AnnotationInput[] inputs)
    {
        var diagnostics = new List<Diagnostic>();
        return (AnnotationResolver.Resolve(inputs, context, diagnostics.Add), diagnostics);
    }

    [Fact]
    public void KeepsKeysAndValuesExactly()
    {
        string value = "https://example.com:8443/a;b=c&d'e \"q\" ünïcödé 日本";

        var (set, diagnostics) = Resolve(Index("org.opencontainers.image.source", value), Index("com.example.empty", string.Empty));

        Assert.Empty(diagnostics);
        Assert.Equal(value, set!.For(AnnotationLevel.Index)["org.opencontainers.image.source"]);
        Assert.Equal(string.Empty, set.For(AnnotationLevel.Index)["com.example.empty"]);
        Assert.Equal(2, set.For(AnnotationLevel.Index).Count);
        Assert.Empty(set.For(AnnotationLevel.Manifest, "linux-x64"));
    }

    [Theory]
    [InlineData("", "MAC2001")]
    [InlineData("com.example key", "MAC2002")]
    [InlineData("com.example\tkey", "MAC2002")]
    [InlineData("com.example\u0001key", "MAC2002")]
    [InlineData(" leading", "MAC2002")]
    public void RejectsBadKeys(string key, string code)
    {
        var (set, diagnostics) = Resolve(Index(key, "v"));

        Assert.Null(set);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal(code, error.Code);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.DoesNotContain('\u0001', error.Text);
        Assert.Contains(Item, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesThePositionOfTheBadCharacter()
    {
        var (_, diagnostics) = Resolve(Index("com.example\u0001key", "v"));

        Assert.Contains("U+0001 at position 12", diagnostics[0].Text, StringComparison.Ordinal);
        Assert.Contains("com.example\\u0001key", diagnostics[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsMissingValueNamingTheKey()
    {
        var (set, diagnostics) = Resolve(Index("com.example.novalue", null));

        Assert.Null(set);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2003", error.Code);
        Assert.Contains("'com.example.novalue'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SameKeyWithTwoValuesIsAnErrorNamingBothSources()
    {
        var (set, diagnostics) = Resolve(
            Index("com.example.k", "one"),
            new AnnotationInput("ContainerAnnotations entry 'index:com.example.k=two'", AnnotationLevel.Index, "com.example.k", "two"));

        Assert.Null(set);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2004", error.Code);
        Assert.Contains("'one' by ContainerIndexAnnotation item", error.Text, StringComparison.Ordinal);
        Assert.Contains("'two' by ContainerAnnotations entry 'index:com.example.k=two'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SameKeyAtDifferentLevelsOrPlatformsIsNoConflict()
    {
        var (set, diagnostics) = Resolve(
            Index("com.example.k", "index"),
            new AnnotationInput("m", AnnotationLevel.Manifest, "com.example.k", "x64") { RuntimeIdentifier = "linux-x64" },
            new AnnotationInput("m", AnnotationLevel.Manifest, "com.example.k", "arm") { Platform = "linux/arm64" });

        Assert.Empty(diagnostics);
        Assert.Equal("index", set!.For(AnnotationLevel.Index)["com.example.k"]);
        Assert.Equal("x64", set.For(AnnotationLevel.Manifest, "linux-x64")["com.example.k"]);
        Assert.Equal("arm", set.For(AnnotationLevel.Manifest, "linux-arm64")["com.example.k"]);
    }

    [Fact]
    public void UnqualifiedManifestAnnotationsGoToEveryImage()
    {
        var (set, _) = Resolve(new AnnotationInput("m", AnnotationLevel.ManifestDescriptor, "com.example.all", "v"));

        Assert.Equal("v", set!.For(AnnotationLevel.ManifestDescriptor, "linux-x64")["com.example.all"]);
        Assert.Equal("v", set.For(AnnotationLevel.ManifestDescriptor, "linux-arm64")["com.example.all"]);
        Assert.Empty(set.For(AnnotationLevel.Manifest, "linux-x64"));
    }

    [Theory]
    [InlineData("linux/arm64", null, true)]
    [InlineData("linux/arm64/v8", null, true)]
    [InlineData("linux/arm64/v7", null, false)]
    [InlineData(null, "linux-arm64", true)]
    [InlineData(null, "linux-musl-arm64", false)]
    [InlineData("linux/s390x", null, false)]
    public void QualifiersMustMatchAPlatformBeingBuilt(string? platform, string? rid, bool matches)
    {
        var (set, diagnostics) = Resolve(new AnnotationInput("item", AnnotationLevel.Manifest, "com.example.q", "v") { Platform = platform, RuntimeIdentifier = rid });

        if (matches)
        {
            Assert.Empty(diagnostics);
            Assert.Equal("v", set!.For(AnnotationLevel.Manifest, "linux-arm64")["com.example.q"]);
            Assert.Empty(set.For(AnnotationLevel.Manifest, "linux-x64"));
        }
        else
        {
            Diagnostic error = Assert.Single(diagnostics);
            Assert.Equal("MAC2012", error.Code);
            Assert.Contains("linux-arm64 (linux/arm64/v8)", error.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MalformedPlatformQualifierIsMac2016()
    {
        var (_, diagnostics) = Resolve(new AnnotationInput("item", AnnotationLevel.Manifest, "com.example.q", "v") { Platform = "arm64" });

        Assert.Equal(["MAC2016"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void IndexAnnotationsCannotBeQualified()
    {
        var (_, diagnostics) = Resolve(Index("com.example.q", "v") with { Platform = "linux/amd64" });

        Assert.Equal(["MAC2017"], diagnostics.Select(d => d.Code));
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00Z", true)]
    [InlineData("2024-05-01T12:00:00.123+02:00", true)]
    [InlineData("2024-05-01 12:00:00", false)]
    [InlineData("yesterday", false)]
    [InlineData("2024-13-01T12:00:00Z", false)]
    public void CreatedMustBeRfc3339(string value, bool valid)
    {
        var (set, diagnostics) = Resolve(Index(AnnotationResolver.CreatedKey, value));

        Assert.Equal(valid, set is not null);
        Assert.Equal(valid ? [] : ["MAC2011"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void IndexDescriptorAnnotationsNeedAnArchive()
    {
        var declaration = new AnnotationInput("item", AnnotationLevel.IndexDescriptor, "com.example.d", "v");

        Assert.Equal(["MAC2013"], Resolve(declaration).Diagnostics.Select(d => d.Code));
        Assert.Equal("v", Resolve(TwoPlatforms with { ArchiveOutput = true }, declaration).Set!.For(AnnotationLevel.IndexDescriptor)["com.example.d"]);
    }

    [Fact]
    public void DockerFormatCannotCarryAnnotations()
    {
        var (set, diagnostics) = Resolve(TwoPlatforms with { DockerFormat = true }, Index("com.example.a", "1"), Index("com.example.b", "2"));

        Assert.Null(set);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2014", error.Code);
        Assert.Contains("2 annotation(s)", error.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "MAC2101")]
    [InlineData("org.opencontainers.image.colour", "MAC2102")]
    public void OddKeysWarnButAreKept(string key, string code)
    {
        var (set, diagnostics) = Resolve(Index(key, "v"));

        Diagnostic warning = Assert.Single(diagnostics);
        Assert.Equal(code, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("v", set!.For(AnnotationLevel.Index)[key]);
    }

    [Fact]
    public void OwnNamespaceAndPredefinedKeysPassSilently()
    {
        var (_, diagnostics) = Resolve(Index("com.example.team.anything_at-all", "v"), Index("org.opencontainers.image.base.name", "b"));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void GeneratedValuesNeverOverrideUserValues()
    {
        var (set, diagnostics) = Resolve(
            new AnnotationInput("generated", AnnotationLevel.Index, "org.opencontainers.image.version", "1.0.0") { IsGenerated = true },
            new AnnotationInput("generated", AnnotationLevel.Manifest, "org.opencontainers.image.version", "1.0.0") { IsGenerated = true },
            Index("org.opencontainers.image.version", "2.0-user"),
            new AnnotationInput("item", AnnotationLevel.Manifest, "org.opencontainers.image.version", "arm-user") { RuntimeIdentifier = "linux-arm64" });

        Assert.Empty(diagnostics);
        Assert.Equal("2.0-user", set!.For(AnnotationLevel.Index)["org.opencontainers.image.version"]);
        Assert.Equal("arm-user", set.For(AnnotationLevel.Manifest, "linux-arm64")["org.opencontainers.image.version"]);
        Assert.Equal("1.0.0", set.For(AnnotationLevel.Manifest, "linux-x64")["org.opencontainers.image.version"]);
    }
}
