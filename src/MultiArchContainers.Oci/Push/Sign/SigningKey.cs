namespace MultiArchContainers.Oci.Push.Sign;

/// <summary>
/// An ECDSA P-256 private key from a PKCS#8 PEM file (<c>BEGIN PRIVATE KEY</c>, or <c>BEGIN ENCRYPTED PRIVATE KEY</c>
/// with its password from <see cref="PasswordVariable"/>), as openssl writes it. Every failure is a coded error that
/// names the file and what is wrong, never the key or the password.
/// </summary>
internal static class SigningKey
{
    /// <summary>The environment variable an encrypted key's password is read from.</summary>
    public const string PasswordVariable = "CONTAINER_SIGNING_KEY_PASSWORD";

    private const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>The private key of <paramref name="path"/>; MAC2031 when it cannot be used.</summary>
    public static ECDsa Load(string path, Func<string, string?> environment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, $"it cannot be read ({ex.GetType().Name})");
        }

        bool encrypted = text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (!encrypted && !text.Contains("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, text.Contains("-----BEGIN EC PRIVATE KEY-----", StringComparison.Ordinal)
                ? "it is a SEC1 key (BEGIN EC PRIVATE KEY); convert it with 'openssl pkcs8 -topk8' to PKCS#8"
                : "it holds no PKCS#8 private key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY)");
        }

        string? password = environment(PasswordVariable);
        if (encrypted && string.IsNullOrEmpty(password))
        {
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, $"it is encrypted, and {PasswordVariable} is not set");
        }

        var key = ECDsa.Create();
        try
        {
            if (encrypted)
            {
                key.ImportFromEncryptedPem(text, password);
            }
            else
            {
                key.ImportFromPem(text);
            }
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, encrypted
                ? $"it could not be decrypted with the password in {PasswordVariable}, or it is not an ECDSA key"
                : "it is not an ECDSA private key");
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, "its PEM text cannot be read");
        }

        Oid? oid = key.ExportParameters(false).Curve.Oid;
        string? curve = oid?.Value ?? oid?.FriendlyName;
        if (curve != P256 && oid?.FriendlyName is not ("nistP256" or "ECDSA_P256" or "prime256v1"))
        {
            key.Dispose();
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, $"its curve is {curve ?? "unnamed"} ({key.KeySize} bits); only ECDSA P-256 is supported");
        }

        return key;
    }

    /// <summary>An ECDSA P-256 public key from a PEM file (<c>BEGIN PUBLIC KEY</c>); MAC2031 when it cannot be used.</summary>
    public static ECDsa LoadPublic(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new MultiArchException(MessageIds.SigningKeyInvalid, path, "it holds no ECDSA public key (BEGIN PUBLIC KEY) that can be read");
        }
    }
}
