using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Plan;

/// <summary>A remote machine that builds some RIDs' images over SSH.</summary>
internal sealed partial record BuildNode
{
    public required string Name { get; init; }

    /// <summary>The original <c>ssh://</c> address, for messages.</summary>
    public required string Address { get; init; }

    public string? User { get; init; }

    public required string Host { get; init; }

    public int? Port { get; init; }

    public required IReadOnlyList<string> RuntimeIdentifiers { get; init; }

    /// <summary>Where per-build folders are made on the node.</summary>
    public string WorkingDirectory { get; init; } = "/tmp";

    public string DotnetPath { get; init; } = "dotnet";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>True: the node sends the image back as an OCI archive and this machine pushes it.</summary>
    public bool TransferArchive { get; init; }

    /// <summary>An SSH private key to use; empty leaves the choice to ssh (config, agent, defaults).</summary>
    public string IdentityFile { get; init; } = string.Empty;

    /// <summary>
    /// Parses one declaration. <paramref name="address"/> is <c>ssh://[user@]host[:port]</c>; <paramref name="rids"/> is a
    /// ';' or ',' separated list. Problems go to <paramref name="report"/> and give null.
    /// </summary>
    public static BuildNode? Parse(string name, string address, string rids, IReadOnlyDictionary<string, string> metadata, Action<Diagnostic> report)
    {
        string Fail(string why)
        {
            report(Diagnostic.Error(MessageIds.BuildNodeInvalid, name, address, why));
            return why;
        }

        if (!NamePattern().IsMatch(name))
        {
            Fail("the node name must be 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit");
            return null;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || uri.Scheme != "ssh" || uri.Host.Length == 0 || uri.AbsolutePath.Trim('/').Length > 0)
        {
            Fail("the address must be ssh://[user@]host[:port]");
            return null;
        }

        // ssh would read a user or host that starts with '-' as an option.
        string user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : string.Empty;
        if (uri.Host.StartsWith('-') || user.StartsWith('-') || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '@'))
        {
            Fail("the user and host may not start with '-' or hold whitespace, control characters or '@'");
            return null;
        }

        string[] list = rids.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            Fail("it claims no runtime identifier (RuntimeIdentifiers=\"linux-arm64\")");
            return null;
        }

        TimeSpan timeout = TimeSpan.FromMinutes(30);
        if (metadata.TryGetValue("Timeout", out string? timeoutText) && timeoutText.Length > 0
            && !TimeSpan.TryParse(timeoutText, CultureInfo.InvariantCulture, out timeout))
        {
            Fail($"Timeout '{timeoutText}' is not a time span such as 00:20:00");
            return null;
        }

        string transfer = metadata.GetValueOrDefault("Transfer") ?? string.Empty;
        if (transfer.Length > 0 && !transfer.Equals("registry", StringComparison.OrdinalIgnoreCase) && !transfer.Equals("archive", StringComparison.OrdinalIgnoreCase))
        {
            Fail($"Transfer '{transfer}' is neither registry (the node pushes) nor archive (the node sends an OCI archive back)");
            return null;
        }

        return new BuildNode
        {
            Name = name,
            Address = address,
            User = user.Length > 0 ? user : null,
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? null : uri.Port,
            RuntimeIdentifiers = list,
            WorkingDirectory = NonEmpty(metadata, "WorkingDirectory") ?? "/tmp",
            DotnetPath = NonEmpty(metadata, "DotnetPath") ?? "dotnet",
            Timeout = timeout,
            IdentityFile = NonEmpty(metadata, "IdentityFile") ?? string.Empty,
            TransferArchive = transfer.Equals("archive", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// Parses <c>ContainerBuildNodes</c>: entries <c>name=ssh://…|rid,rid</c> separated by ';'.
    /// </summary>
    public static IEnumerable<BuildNode> ParseList(string text, Action<Diagnostic> report)
    {
        foreach (string entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            int bar = entry.LastIndexOf('|');
            if (equals <= 0 || bar < equals)
            {
                report(Diagnostic.Error(MessageIds.BuildNodeInvalid, entry, entry, "a ContainerBuildNodes entry is name=ssh://[user@]host[:port]|rid,rid"));
                continue;
            }

            BuildNode? node = Parse(entry[..equals], entry[(equals + 1)..bar], entry[(bar + 1)..], new Dictionary<string, string>(), report);
            if (node is not null)
            {
                yield return node;
            }
        }
    }

    public override string ToString() => $"{Name} ({Address})";

    private static string? NonEmpty(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
