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
    foreach (string seeded in await BaseImageSeeder.SeedPlatformsAsync(target, repository))
    {
        Console.WriteLine(seeded);
    }

    return 0;
}

Console.Error.WriteLine("usage: seed-base REGISTRY REPOSITORY:TAG | seed-platforms REGISTRY REPOSITORY");
return 2;
