using MultiArchContainers.Oci;
using MultiArchContainers.Oci.Registry;
using MultiArchContainers.Testing;

// seed-base REGISTRY REPOSITORY:TAG      — pushes the offline two-platform base image (used by build.sh's demo).
// seed-platforms REGISTRY REPOSITORY     — pushes 8 single-platform images tagged p-<os>-<arch>[-<variant>] (bench/).
if (args is ["seed-base", string registry, string reference] && reference.Contains(':', StringComparison.Ordinal))
{
    string[] nameAndTag = reference.Split(':', 2);
    Digest digest = await BaseImageSeeder.SeedAsync(registry, nameAndTag[0], nameAndTag[1]);
    Console.WriteLine($"Seeded {registry}/{reference}@{digest} ({string.Join(", ", BaseImageSeeder.DefaultPlatforms)})");
    return 0;
}

if (args is ["seed-platforms", string target, string repository])
{
    using var client = new RegistryClient(target);
    foreach (Platform platform in BenchPlatforms())
    {
        var image = TestImage.Create(platform, note: platform.ToString());
        await BaseImageSeeder.PushAsync(client, repository, image);
        string tag = "p-" + platform.ToString().Replace('/', '-');
        await client.PutManifestAsync(repository, tag, image.Manifest, MediaTypes.OciManifest, CancellationToken.None);
        Console.WriteLine($"{target}/{repository}:{tag}");
    }

    return 0;
}

Console.Error.WriteLine("usage: seed-base REGISTRY REPOSITORY:TAG | seed-platforms REGISTRY REPOSITORY");
return 2;

static IEnumerable<Platform> BenchPlatforms() =>
    new[] { ("amd64", (string?)null), ("arm64", "v8"), ("arm", "v7"), ("386", null), ("s390x", null), ("ppc64le", null), ("riscv64", null), ("mips64le", null) }
        .Select(p => new Platform { Os = "linux", Architecture = p.Item1, Variant = p.Item2 });
