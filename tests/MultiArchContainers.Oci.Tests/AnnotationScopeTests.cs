using MultiArchContainers.Oci.Annotations;

namespace MultiArchContainers.Oci.Tests;

public class AnnotationScopeTests
{
    [Theory]
    [InlineData(null, new[] { AnnotationLevel.Index })]
    [InlineData("", new[] { AnnotationLevel.Index })]
    [InlineData("Index", new[] { AnnotationLevel.Index })]
    [InlineData("Manifest,Index", new[] { AnnotationLevel.Manifest, AnnotationLevel.Index })]
    [InlineData(" manifest ; INDEX ;", new[] { AnnotationLevel.Manifest, AnnotationLevel.Index })]
    [InlineData("Manifest,Manifest", new[] { AnnotationLevel.Manifest })]
    [InlineData("ManifestDescriptor,IndexDescriptor", new[] { AnnotationLevel.ManifestDescriptor, AnnotationLevel.IndexDescriptor })]
    public void EachScopeNameIsItsLevel(string? scope, AnnotationLevel[] expected)
    {
        Assert.Equal(expected, AnnotationScope.Parse(scope, "test"));
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
