using MultiArchContainers.Oci;

namespace MultiArchContainers.Oci.Tests;

public class AnnotationsTests
{
    private const string Kind = "ContainerIndexAnnotation";

    [Fact]
    public void KeepsKeysAndValuesExactly()
    {
        var diagnostics = new List<Diagnostic>();
        string value = "https://example.com:8443/a;b=c&d'e \"q\" ünïcödé 日本";

        SortedDictionary<string, string>? result = Annotations.Validate(
            [new(Kind, "org.opencontainers.image.source", value), new(Kind, "com.example.empty", string.Empty)],
            diagnostics.Add);

        Assert.Empty(diagnostics);
        Assert.NotNull(result);
        Assert.Equal(value, result["org.opencontainers.image.source"]);
        Assert.Equal(string.Empty, result["com.example.empty"]);
        Assert.Equal(2, result.Count);
    }

    [Theory]
    [InlineData("", "MAC2001")]
    [InlineData("com.example key", "MAC2002")]
    [InlineData("com.example\tkey", "MAC2002")]
    [InlineData("com.example\u0001key", "MAC2002")]
    [InlineData(" leading", "MAC2002")]
    public void RejectsBadKeys(string key, string code)
    {
        var diagnostics = new List<Diagnostic>();

        SortedDictionary<string, string>? result = Annotations.Validate([new(Kind, key, "v")], diagnostics.Add);

        Assert.Null(result);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal(code, error.Code);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.DoesNotContain('\u0001', error.Text);
        Assert.Contains(Kind, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesThePositionOfTheBadCharacter()
    {
        var diagnostics = new List<Diagnostic>();

        Annotations.Validate([new(Kind, "com.example\u0001key", "v")], diagnostics.Add);

        Assert.Contains("U+0001 at position 12", diagnostics[0].Text, StringComparison.Ordinal);
        Assert.Contains("com.example\\u0001key", diagnostics[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsMissingValueNamingTheKey()
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(Annotations.Validate([new(Kind, "com.example.novalue", null)], diagnostics.Add));

        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2003", error.Code);
        Assert.Contains("'com.example.novalue'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SameKeyWithTwoValuesIsAnErrorNamingBoth()
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(Annotations.Validate([new(Kind, "k.e.y", "one"), new(Kind, "k.e.y", "two")], diagnostics.Add));

        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("MAC2004", error.Code);
        Assert.Contains("'one'", error.Text, StringComparison.Ordinal);
        Assert.Contains("'two'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SameKeyWithTheSameValueTwiceIsKeptOnce()
    {
        var diagnostics = new List<Diagnostic>();

        SortedDictionary<string, string>? result = Annotations.Validate([new(Kind, "k.e.y", "v"), new(Kind, "k.e.y", "v")], diagnostics.Add);

        Assert.Empty(diagnostics);
        Assert.Equal("v", Assert.Single(result!).Value);
    }

    [Fact]
    public void ReportsEveryProblemNotJustTheFirst()
    {
        var diagnostics = new List<Diagnostic>();

        Annotations.Validate([new(Kind, string.Empty, "v"), new(Kind, "a b", "v"), new(Kind, "c.d", null)], diagnostics.Add);

        Assert.Equal(["MAC2001", "MAC2002", "MAC2003"], diagnostics.Select(d => d.Code));
    }
}
