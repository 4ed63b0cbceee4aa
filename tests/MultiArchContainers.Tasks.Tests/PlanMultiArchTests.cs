using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace MultiArchContainers.Tasks.Tests;

[Collection(TaskRegistryCollection.Name)]
public class PlanMultiArchTests(TaskRegistryFixture fixture)
{
    private static ITaskItem Annotation(string key, string? value)
    {
        var item = new TaskItem(key);
        if (value is not null)
        {
            item.SetMetadata("Value", value);
        }

        return item;
    }

    private PlanMultiArch Plan(TestBuildEngine engine, string[] rids, params ITaskItem[] annotations) => new()
    {
        BuildEngine = engine,
        RuntimeIdentifiers = rids,
        IndexAnnotations = annotations,
        Registry = fixture.Registry.Address,
        Repository = "plan/app",
        BaseImage = fixture.BaseImage,
    };

    [Fact]
    public void PlansEveryRidWithItsPlatformInOrder()
    {
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-arm64", "linux-x64", "linux-x64"], Annotation("com.example.a", "b: c"));

        Assert.True(task.Execute(), engine.Log);

        Assert.Equal(["linux-arm64", "linux-x64"], task.Platforms.Select(p => p.ItemSpec));
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], task.Platforms.Select(p => p.GetMetadata("Platform")));
    }

    [Fact]
    public async Task ThePlanHandsOnTheDigestTheBaseImageNamedSoNoLaterStageAsksAgain()
    {
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64"]);

        Assert.True(task.Execute(), engine.Log);

        string raw = await Skopeo.InspectRawAsync(fixture.BaseImage);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw))), task.BaseDigest);

        // A stage that asks for the same reference takes it; another reference is still asked for.
        var unused = new Func<string, Oci.Registry.IRegistryClient>(_ => throw new InvalidOperationException("no request expected"));
        Assert.Equal(task.BaseDigest, (await Oci.Collect.Incremental.BaseImageDigest.ResolveAsync(fixture.BaseImage, fixture.BaseImage, task.BaseDigest, unused, CancellationToken.None))?.ToString());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Oci.Collect.Incremental.BaseImageDigest.ResolveAsync(fixture.BaseImage + "-other", fixture.BaseImage, task.BaseDigest, unused, CancellationToken.None));
    }

    [Fact]
    public void PlatformTagsThatCannotBeTagsAreReportedBeforeAnyBuildOnlyWhenAskedFor()
    {
        string longTag = new('v', 120);
        var quiet = new TestBuildEngine();
        PlanMultiArch without = Plan(quiet, ["linux-x64", "linux-arm64"]);
        without.Tags = [longTag];
        Assert.True(without.Execute(), quiet.Log);

        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64", "linux-arm64"]);
        task.Tags = ["1.0", longTag];
        task.PlatformTags = true;

        Assert.False(task.Execute());

        Assert.Equal([$"{longTag}-linux-x64", $"{longTag}-linux-arm64"], engine.Errors.Select(e => e.Message!.Split('\'')[1]));
        Assert.All(engine.Errors, e => Assert.Equal("MAC2010", e.Code));
    }

    [Fact]
    public void AnEmptyValueIsAValueButAMissingOneIsAnError()
    {
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64"], Annotation("com.example.empty", string.Empty), Annotation("com.example.missing", null));

        Assert.False(task.Execute());

        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("MAC2003", error.Code);
        Assert.Contains("'com.example.missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsRidAndRegistryProblemsTogether()
    {
        var engine = new TestBuildEngine();
        var task = new PlanMultiArch
        {
            BuildEngine = engine,
            RuntimeIdentifiers = ["linux-arm64", "linux-musl-arm64", "freebsd-x64"],
            Registry = string.Empty,
            Repository = "Upper/Case",
        };

        Assert.False(task.Execute());

        Assert.Equal(["MAC2008", "MAC2010", "MAC2009", "MAC2006"], engine.ErrorCodes);
        Assert.Contains(engine.Errors, e => e.Message!.Contains("'linux-arm64' and 'linux-musl-arm64'", StringComparison.Ordinal));
        Assert.Contains(engine.Errors, e => e.Message!.Contains("'freebsd-x64'", StringComparison.Ordinal));
    }

    [Fact]
    public void NoRidsIsAnError()
    {
        var engine = new TestBuildEngine();

        Assert.False(Plan(engine, [" "]).Execute());

        Assert.Equal(["MAC2005"], engine.ErrorCodes);
    }

    [Fact]
    public async Task BaseWithoutThePlatformIsAnErrorNamingWhatItOffers()
    {
        await BaseImageSeeder.SeedAsync(fixture.Registry.Address, "base/arm64-only", "1", [BaseImageSeeder.DefaultPlatforms[1]]);
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64", "linux-arm64"]);
        task.BaseImage = $"{fixture.Registry.Address}/base/arm64-only:1";

        Assert.False(task.Execute());

        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("MAC2007", error.Code);
        Assert.Contains("'linux-x64' needs platform linux/amd64", error.Message, StringComparison.Ordinal);
        Assert.Contains("offers only linux/arm64/v8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinglePlatformBaseIsReadFromItsConfig()
    {
        using var client = new Oci.Registry.RegistryClient(fixture.Registry.Address);
        var image = TestImage.Create(BaseImageSeeder.DefaultPlatforms[0], "single");
        await BaseImageSeeder.PushAsync(client, "base/single", image);
        await client.PutManifestAsync("base/single", "1", image.Manifest, Oci.Model.MediaTypes.OciManifest, CancellationToken.None);
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-arm64"]);
        task.BaseImage = $"{fixture.Registry.Address}/base/single:1";

        Assert.False(task.Execute());

        Assert.Contains("offers only linux/amd64", Assert.Single(engine.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBaseImageIsMac1006()
    {
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64"]);
        task.BaseImage = $"{fixture.Registry.Address}/base/does-not-exist:1";

        Assert.False(task.Execute());

        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("MAC1006", error.Code);
        Assert.Contains("base/does-not-exist:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableTargetRegistryIsMac1001()
    {
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64"]);
        task.Registry = $"127.0.0.1:{RegistryProcess.FreePort()}";

        Assert.False(task.Execute());

        Assert.Equal(["MAC1001"], engine.ErrorCodes);
        Assert.Contains(task.Registry, engine.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatAHostileRegistrySaysReachesTheLogEscaped()
    {
        // A registry (the real one behind the proxy) whose ping answers a broken status line made to drive a terminal and
        // a CI log: .NET's own exception quotes it.
        await using LimitingProxy proxy = LimitingProxy.Start(fixture.Registry);
        const string Hostile = "\u001b]0;PWNED\u0007\u001b[2J\u202e";
        proxy.Answer((method, path) => path == "/v2/", 10, async stream =>
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"DENIED","message":"no{{Hostile}}\n::error::fake"}]}""");
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"HTTP/1.1 4{Hostile}\n::error::fake 0\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.WriteAsync(body);
        });
        var engine = new TestBuildEngine();
        PlanMultiArch task = Plan(engine, ["linux-x64"]);
        task.Registry = proxy.Address;

        Assert.False(task.Execute());

        Assert.NotEmpty(engine.Errors);
        Assert.DoesNotContain(engine.Log, c => c is '\u001b' or '\u0007' or '\u202e');
        Assert.DoesNotContain(engine.Log.Split('\n'), line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
        Assert.True(engine.Log.Contains("\\e", StringComparison.Ordinal), engine.Log);
    }
}
