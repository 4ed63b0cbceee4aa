namespace MultiArchContainers.Oci.Tests;

public class AnnotationScopeTests
{
    [Theory]
    [InlineData(null, new[] { "Index" })]
    [InlineData("", new[] { "Index" })]
    [InlineData("Index", new[] { "Index" })]
    [InlineData("Manifest,Index", new[] { "Manifest", "Index" })]
    [InlineData(" manifest ; INDEX ;", new[] { "Manifest", "Index" })]
    [InlineData("Manifest,Manifest", new[] { "Manifest" })]
    [InlineData("ManifestDescriptor,IndexDescriptor", new[] { "ManifestDescriptor", "IndexDescriptor" })]
    public void EachScopeNameIsItsLevel(string? scope, string[] expected)
    {
        Assert.Equal(expected, AnnotationScope.Parse(scope, "test").Select(level => level.ToString()));
    }

    [Theory]
    [InlineData("Layer", "Layer")]
    [InlineData("Manifest,Indexes", "Indexes")]
    [InlineData("manifest-descriptor", "manifest-descriptor")]
    public void AnyOtherNameIsMac2027NamingIt(string scope, string wrong)
    {
        var error = Assert.Throws<MultiArchException>(() => AnnotationScope.Parse(scope, "ContainerAnnotation item 'k'"));

        Assert.Equal("MAC2027", error.Diagnostic.Code);
        Assert.Contains($"Scope '{scope}', and '{wrong}' is not a scope", error.Message, StringComparison.Ordinal);
    }
}
