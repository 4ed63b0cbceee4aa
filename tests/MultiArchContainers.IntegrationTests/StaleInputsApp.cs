namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// An app made of every kind of input a publish reads: a project reference two levels deep, a NuGet package, a
/// content file, runtimeconfig.template.json, a source generator with an additional file, a source a target rewrites
/// while the publish runs, and (later) a Directory.Build.props. Its output names what each input said.
/// </summary>
internal static class StaleInputsApp
{
    public static void Write(string folder)
    {
        File.Delete(Path.Combine(folder, "Directory.Build.props"));
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            System.Console.WriteLine("lib: " + Lib.Shallow.Text);
            System.Console.WriteLine("content: " + System.IO.File.ReadAllText(System.IO.Path.Combine(System.AppContext.BaseDirectory, "content.txt")).Trim());
            System.Console.WriteLine("template: " + System.AppContext.GetData("Stale.Template"));
            System.Console.WriteLine("package: " + Acme.Stale.Greeting.Text);
            System.Console.WriteLine("generated: " + Generated.Notes.Text);
            System.Console.WriteLine("saved: " + Saved.Text);
            System.Console.WriteLine("server gc: " + System.Runtime.GCSettings.IsServerGC);
            #if FROM_PROPS
            System.Console.WriteLine("props: yes");
            #endif
            """);
        File.WriteAllText(Path.Combine(folder, "Saved.cs"), "static class Saved { public const string Text = \"saved-1\"; }\n");
        File.WriteAllText(Path.Combine(folder, "content.txt"), "content-1\n");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "notes-1\n");
        File.WriteAllText(Path.Combine(folder, "runtimeconfig.template.json"), """{ "configProperties": { "Stale.Template": "template-1" } }""");
        Project(folder, "lib2", "Lib2", string.Empty, "namespace Lib2; public static class Deep { public static string Text => \"deep-1\"; }");
        Project(folder, "lib", "Lib", """<ItemGroup><ProjectReference Include="../lib2/Lib2.csproj" /></ItemGroup>""",
            "namespace Lib; public static class Shallow { public static string Text => \"shallow + \" + Lib2.Deep.Text; }");
        Directory.CreateDirectory(Path.Combine(folder, "gen"));
        File.WriteAllText(Path.Combine(folder, "gen", "Gen.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.0</TargetFramework>
                <EnforceExtendedAnalyzerRules>true</EnforceExtendedAnalyzerRules>
                <IsRoslynComponent>true</IsRoslynComponent>
                <NoWarn>$(NoWarn);RS2008</NoWarn>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="Microsoft.CodeAnalysis.CSharp" Version="4.8.0" PrivateAssets="all" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "gen", "NotesGenerator.cs"), """
            using System.Linq;
            using Microsoft.CodeAnalysis;

            [Generator]
            public sealed class NotesGenerator : IIncrementalGenerator
            {
                public void Initialize(IncrementalGeneratorInitializationContext context)
                {
                    var notes = context.AdditionalTextsProvider.Where(t => t.Path.EndsWith("notes.txt"))
                        .Select((t, token) => t.GetText(token)?.ToString().Trim() ?? "").Collect();
                    context.RegisterSourceOutput(notes, (output, texts) => output.AddSource("Notes.g.cs",
                        "namespace Generated { public static class Notes { public const string Text = \"" + string.Concat(texts) + "\"; } }"));
                }
            }
            """);
    }

    private static void Project(string folder, string name, string assembly, string items, string source)
    {
        Directory.CreateDirectory(Path.Combine(folder, name));
        File.WriteAllText(Path.Combine(folder, name, $"{assembly}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              {items}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, name, "Source.cs"), source + "\n");
    }

    /// <summary>The app's project file: the SDK under test, every kind of input, and the target that saves a source mid-publish.</summary>
    public static string ProjectXml(PublishFixture fixture, string repository, string baseImage, bool imageIsThePublish) => fixture.Project(
        $"""
        {fixture.Publishing(repository)}
        <ContainerGenerateLabels>false</ContainerGenerateLabels>
        <ContainerPublishMultiArch>{imageIsThePublish.ToString().ToLowerInvariant()}</ContainerPublishMultiArch>
        <DefaultItemExcludes>$(DefaultItemExcludes);lib/**;lib2/**;gen/**;dependency/**</DefaultItemExcludes>
        """,
        """
        <ProjectReference Include="lib/Lib.csproj" />
        <ProjectReference Include="gen/Gen.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
        <PackageReference Include="Acme.Stale" Version="1.0.0" />
        <Content Include="content.txt" CopyToPublishDirectory="PreserveNewest" />
        <AdditionalFiles Include="notes.txt" />
        """,
        baseImage,
        """
        <!-- A source saved while the publish runs: rewritten after each per-RID build's compile, while save-next.txt exists. -->
        <Target Name="SaveDuringPublish" AfterTargets="CoreCompile" Condition="'$(_MultiArchInnerBuild)' == 'true' and Exists('$(MSBuildProjectDirectory)/save-next.txt')">
          <Copy SourceFiles="$(MSBuildProjectDirectory)/save-next.txt" DestinationFiles="$(MSBuildProjectDirectory)/Saved.cs" ContinueOnError="true" />
        </Target>
        """);

    /// <summary>Packs Acme.Stale <paramref name="version"/> (its text is the version) into <paramref name="feed"/> from a sandbox folder.</summary>
    public static async Task PackAsync(Sandbox sandbox, string feed, string version)
    {
        if (Directory.EnumerateFiles(feed, $"*.{version}.nupkg").Any(f => Path.GetFileName(f).StartsWith("Acme.Stale.", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        string folder = Path.Combine(sandbox.Folder, "dependency");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Acme.Stale.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><PackageId>Acme.Stale</PackageId><Version>{version}</Version></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Greeting.cs"), $"namespace Acme.Stale; public static class Greeting {{ public static string Text => \"package-{version}\"; }}\n");
        ProcessResult pack = await sandbox.DotnetAsync(["pack", Path.Combine(folder, "Acme.Stale.csproj"), "-nologo", "-o", feed]);
        Directory.Delete(folder, recursive: true);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException(pack.Combined);
        }
    }
}
