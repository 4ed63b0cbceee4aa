using MultiArchContainers.Oci;
using MultiArchContainers.Testing;

// seed-base REGISTRY REPOSITORY:TAG — pushes the offline two-platform base image (used by build.sh's demo).
if (args.Length != 3 || args[0] != "seed-base" || !args[2].Contains(':', StringComparison.Ordinal))
{
    return await Fail("usage: seed-base REGISTRY REPOSITORY:TAG");
}

string[] nameAndTag = args[2].Split(':', 2);
Digest digest = await BaseImageSeeder.SeedAsync(args[1], nameAndTag[0], nameAndTag[1]);
Console.WriteLine($"Seeded {args[1]}/{args[2]}@{digest} ({string.Join(", ", BaseImageSeeder.DefaultPlatforms)})");
return 0;

static Task<int> Fail(string message)
{
    Console.Error.WriteLine(message);
    return Task.FromResult(2);
}
