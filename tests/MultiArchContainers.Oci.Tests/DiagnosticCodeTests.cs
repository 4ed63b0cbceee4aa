using System.Reflection;
using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Tests;

public partial class DiagnosticCodeTests
{
    private static IEnumerable<string> MessageNames =>
        typeof(MessageIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

    [Fact]
    public void EveryMessageStartsWithAWellFormedCode()
    {
        foreach (string name in MessageNames)
        {
            Assert.Matches(CodePattern(), Diagnostic.GetTemplate(name));
        }
    }

    [Fact]
    public void CodesAreUnique()
    {
        var codes = MessageNames.Select(n => CodePattern().Match(Diagnostic.GetTemplate(n)).Groups[1].Value).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.True(codes.Count >= 20);
    }

    [Fact]
    public void CodesSitInTheRangeOfTheirSubject()
    {
        Assert.Equal("MAC1001", Diagnostic.Error(MessageIds.RegistryUnreachable, "r", "x").Code);
        Assert.StartsWith("MAC2", Diagnostic.Error(MessageIds.AnnotationKeyEmpty, "k").Code, StringComparison.Ordinal);
        Assert.StartsWith("MAC4", Diagnostic.Error(MessageIds.ArchiveMissing, "rid", "p").Code, StringComparison.Ordinal);
    }

    [Fact]
    public void DiagnosticTextCarriesTheValuesAndNoCode()
    {
        Diagnostic diagnostic = Diagnostic.Error(MessageIds.UnknownRuntimeIdentifier, "osx-arm64", "linux-x64");

        Assert.Equal("MAC2006", diagnostic.Code);
        Assert.StartsWith("The runtime identifier 'osx-arm64'", diagnostic.Text, StringComparison.Ordinal);
        Assert.Equal("MAC2006: " + diagnostic.Text, diagnostic.ToString());
    }

    [Fact]
    public void EveryCodeIsDocumented()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "MultiArchContainers.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        string docs = File.ReadAllText(Path.Combine(root, "docs", "error-codes.md"));
        foreach (string name in MessageNames)
        {
            string template = Diagnostic.GetTemplate(name);
            string code = CodePattern().Match(template).Groups[1].Value;
            Assert.Contains($"| {code} |", docs, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^(MAC[1-4]\d{3}): \S")]
    private static partial Regex CodePattern();
}
