namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>
/// A request body that tells a <see cref="Watchdog"/> each time bytes go out. A registry that stops reading stalls
/// the writes, the watchdog is not fed and ends the request after the inactivity limit; a slow upload whose bytes
/// still flow goes on, however long it takes. After the last byte, the same limit counts for the answer's headers.
/// </summary>
internal sealed class ProgressContent : HttpContent
{
    private readonly Watchdog _watchdog;

    public ProgressContent(HttpContent inner, Watchdog watchdog)
    {
        Inner = inner;
        _watchdog = watchdog;
        foreach (KeyValuePair<string, IEnumerable<string>> header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>The body as the client made it.</summary>
    public HttpContent Inner { get; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await Inner.CopyToAsync(new WatchedStream(stream, _watchdog)).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        await Inner.CopyToAsync(new WatchedStream(stream, _watchdog), cancellationToken).ConfigureAwait(false);

    protected override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Writes through in pieces of at most 16 KiB (a body held in memory comes as one write) and feeds the watchdog
    /// after each: progress is a piece the connection took.
    /// </summary>
    private sealed class WatchedStream(Stream inner, Watchdog watchdog) : WriteOnlyStream(inner)
    {
        private const int Piece = 16 * 1024;

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (int done = 0; done < count; done += Piece)
            {
                Inner.Write(buffer, offset + done, Math.Min(Piece, count - done));
                watchdog.Feed();
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (int done = 0; done < buffer.Length; done += Piece)
            {
                await Inner.WriteAsync(buffer.Slice(done, Math.Min(Piece, buffer.Length - done)), cancellationToken).ConfigureAwait(false);
                watchdog.Feed();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
