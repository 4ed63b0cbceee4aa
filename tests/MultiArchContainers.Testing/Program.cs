// seed-base REGISTRY REPOSITORY:TAG [PLATFORM...] — pushes the offline base image, linux/amd64 and linux/arm64/v8
//                                          unless platforms (os/arch[/variant][@os.version]) are named (used by build.sh's demo).
// seed-platforms REGISTRY REPOSITORY     — pushes 8 single-platform images tagged p-<os>-<arch>[-<variant>] (bench/).
if (args is ["seed-base", string registry, string reference, .. string[] named] && reference.Contains(':', StringComparison.Ordinal))
{
    string[] nameAndTag = reference.Split(':', 2);
    IReadOnlyList<Platform> platforms = named.Length == 0 ? BaseImageSeeder.DefaultPlatforms
        : [.. named.Select(p => p.Split('@', 2)).Select(p => (Parts: p[0].Split('/'), OsVersion: p.Length > 1 ? p[1] : null))
            .Select(p => new Platform { Os = p.Parts[0], Architecture = p.Parts[1], Variant = p.Parts.Length > 2 ? p.Parts[2] : null, OsVersion = p.OsVersion })];
    Digest digest = await BaseImageSeeder.SeedAsync(registry, nameAndTag[0], nameAndTag[1], platforms);
    Console.WriteLine($"Seeded {registry}/{reference}@{digest} ({string.Join(", ", platforms)})");
    return 0;
}

// seed-large-base REGISTRY REPOSITORY:TAG MEGABYTES [no-history] — a base image of real size per platform (bench/).
if (args is ["seed-large-base", string large, string largeReference, string megabytes, .. string[] options] && largeReference.Contains(':', StringComparison.Ordinal))
{
    string[] nameAndTag = largeReference.Split(':', 2);
    Digest digest = await LargeBaseImage.SeedAsync(large, nameAndTag[0], nameAndTag[1], int.Parse(megabytes, System.Globalization.CultureInfo.InvariantCulture), history: !options.Contains("no-history"));
    Console.WriteLine($"Seeded {large}/{largeReference}@{digest} ({megabytes} MB a platform{(options.Contains("no-history") ? ", no history" : string.Empty)})");
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

Console.Error.WriteLine("usage: seed-base REGISTRY REPOSITORY:TAG [PLATFORM...] | seed-large-base REGISTRY REPOSITORY:TAG MEGABYTES [no-history] | seed-platforms REGISTRY REPOSITORY");
return 2;
