namespace MultiArchContainers.Oci.Collect.Incremental;

/// <summary>
/// The one way this tool turns inputs into a key: each input is a named field, its value hashed on its own, so two
/// keys can say which field differs, and no separator inside a value can make two different sets of inputs look
/// alike. With a secret, field values are hashed with it (HMAC-SHA256), so a key kept on disk does not let anyone
/// test guesses of a value (an environment variable, a property given on the command line).
/// </summary>
internal sealed class KeyBuilder
{
    private readonly SortedDictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly byte[]? _secret;

    public KeyBuilder(byte[]? secret = null) => _secret = secret;

    /// <summary>Adds the field <paramref name="name"/>; a name added twice keeps its last value.</summary>
    public KeyBuilder Add(string name, string value)
    {
        _fields[name] = Hash(Encoding.UTF8.GetBytes(value));
        return this;
    }

    /// <summary>Adds a field whose value is a list; the order of <paramref name="values"/> counts.</summary>
    public KeyBuilder Add(string name, IEnumerable<string> values)
    {
        var text = new StringBuilder();
        foreach (string value in values)
        {
            // Each value with its length: no value can run into the next.
            text.Append(value.Length).Append(':').Append(value).Append('\n');
        }

        return Add(name, text.ToString());
    }

    /// <summary>Adds a field whose value is already a digest (a file's content hash), taken as it is.</summary>
    public KeyBuilder AddDigest(string name, string digest)
    {
        _fields[name] = digest;
        return this;
    }

    public InputKey Build()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach ((string name, string value) in _fields)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name.Length}:{name}={value}\n"));
        }

        return new InputKey(Convert.ToHexStringLower(hash.GetHashAndReset()), new SortedDictionary<string, string>(_fields, StringComparer.Ordinal));
    }

    private string Hash(byte[] value) =>
        Convert.ToHexStringLower(_secret is null ? SHA256.HashData(value) : HMACSHA256.HashData(_secret, value));
}
