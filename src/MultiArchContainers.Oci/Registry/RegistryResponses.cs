namespace MultiArchContainers.Oci.Registry;

/// <summary>
/// Turns one server's answers into bytes (bounded in size, and in time between bytes) or into a
/// <see cref="RegistryException"/> naming <c>server</c>.
/// </summary>
internal sealed class RegistryResponses(string server, TimeSpan inactivity)
{
    /// <summary>The server whose answers these are, for messages.</summary>
    public string Server => server;

    /// <summary>Manifests, indexes and configs: no real one comes near this.</summary>
    public const int DocumentLimit = 4 * 1024 * 1024;

    /// <summary>A token service's answer.</summary>
    public const int TokenLimit = 128 * 1024;

    /// <summary>An error body: only its first error is used.</summary>
    public const int ErrorLimit = 64 * 1024;

    /// <summary>
    /// Reads the body whole, refusing it (MAC1011) as soon as it passes <paramref name="limit"/>, so memory never grows
    /// with what the server sends; a body that ends early or breaks off is MAC1012.
    /// </summary>
    public async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int limit, string what, string kind, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(server, what, limit, kind, response.StatusCode);
        }

        try
        {
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await ReadAsync(body, chunk, what, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw TooLarge(server, what, limit, kind, response.StatusCode);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw Invalid(server, what, $"the body broke off ({ex.Message})", response.StatusCode, ex);
        }
    }

    /// <summary>One read that fails with MAC1001 when no byte comes within the inactivity timeout.</summary>
    public async Task<int> ReadAsync(Stream body, Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(inactivity);
        try
        {
            return await body.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(Diagnostic.Error(MessageIds.RegistryUnreachable, server, $"no data for {inactivity.TotalSeconds:0} s while {what}"), null, null, ex);
        }
    }

    public static RegistryException Invalid(string registry, string what, string why, HttpStatusCode? status, Exception? inner = null) =>
        new(Diagnostic.Error(MessageIds.RegistryResponseInvalid, registry, what, why), status, null, inner);

    private static RegistryException TooLarge(string registry, string what, int limit, string kind, HttpStatusCode status) =>
        new(Diagnostic.Error(MessageIds.ResponseTooLarge, registry, what, limit.ToString(CultureInfo.InvariantCulture), kind), status, null);

    /// <summary>Nothing when the answer is a success; else the coded error, with the registry's own error code when it gave one.</summary>
    public async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        (string? code, string? message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        Diagnostic diagnostic = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? Diagnostic.Error(MessageIds.RegistryUnauthorized, server, what, status)
            : Diagnostic.Error(MessageIds.RegistryRequestFailed, server, what, status, code is null ? string.Empty : $" ({code}: {message})");
        throw new RegistryException(diagnostic, response.StatusCode, code);
    }

    /// <summary>The first entry of a distribution error body, printable and short; nulls when there is none.</summary>
    private async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            byte[] body = await ReadBoundedAsync(response, ErrorLimit, "reading an error body", "an error body", cancellationToken).ConfigureAwait(false);
            using JsonDocument errors = JsonDocument.Parse(body);
            if (errors.RootElement.ValueKind == JsonValueKind.Object
                && errors.RootElement.TryGetProperty("errors", out JsonElement list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                && list[0].ValueKind == JsonValueKind.Object
                && list[0].TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.String)
            {
                string? message = list[0].TryGetProperty("message", out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                return (Printable(code.GetString()!), Printable(message ?? string.Empty));
            }
        }
        catch (Exception ex) when (ex is JsonException or MultiArchException)
        {
            // A body that is not a distribution error document adds nothing to the message.
        }

        return (null, null);
    }

    /// <summary>Server text as it may appear in a message: no control characters, at most 200 characters.</summary>
    private static string Printable(string text)
    {
        var result = new StringBuilder();
        foreach (char c in text.Take(200))
        {
            result.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.Length > 200 ? result.Append('…').ToString() : result.ToString();
    }
}
