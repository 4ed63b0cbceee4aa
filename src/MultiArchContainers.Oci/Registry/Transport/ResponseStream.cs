namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>A response body that disposes its response with it and fails (MAC1001) when no byte comes within the inactivity timeout.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream inner, RegistryResponses responses, string what) : ReadOnlyStream
{
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await responses.ReadAsync(inner, buffer, what, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw RegistryResponses.Invalid(responses.Server, what, $"the body broke off ({ex.Message})", response.StatusCode, ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
