namespace MultiArchContainers.Oci.Model;

/// <summary>
/// Reads content addressed by digest and checks it on the way: more bytes than the descriptor's size fail at once,
/// and at the end the length and the hash must both match, or the last read fails. Whoever consumes the stream
/// (an upload, an archive, a file) therefore never completes with unverified bytes.
/// </summary>
internal sealed class VerifyingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly Digest _digest;
    private readonly long _size;
    private readonly string _name;
    private readonly string _source;
    private readonly IncrementalHash _hash;
    private long _read;
    private bool _verified;

    /// <param name="inner">The content; disposed with this stream.</param>
    /// <param name="digest">The digest it must have.</param>
    /// <param name="size">The size it must have; negative when unknown (only the digest is checked).</param>
    /// <param name="name">What is read, for messages (<c>team/app@sha256:…</c>).</param>
    /// <param name="source">Where it comes from, for messages (a registry, an archive).</param>
    public VerifyingStream(Stream inner, Digest digest, long size, string name, string source)
    {
        _inner = inner;
        _digest = digest;
        _size = size;
        _name = name;
        _source = source;
        _hash = digest.CreateHash();
    }

    public override long Length => _size >= 0 ? _size : throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Check(_inner.Read(buffer, offset, count), buffer.AsSpan(offset));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Span);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Check(int read, ReadOnlySpan<byte> buffer)
    {
        _read += read;
        if (_size >= 0 && _read > _size)
        {
            throw new MultiArchException(MessageIds.BlobSizeMismatch, _name, _source, $"more than {_size}", _size);
        }

        _hash.AppendData(buffer[..read]);
        if (read == 0 && !_verified)
        {
            if (_size >= 0 && _read != _size)
            {
                throw new MultiArchException(MessageIds.BlobSizeMismatch, _name, _source, _read, _size);
            }

            Digest actual = _digest.WithHash(_hash.GetHashAndReset());
            if (actual != _digest)
            {
                throw new MultiArchException(MessageIds.DigestMismatch, _name, _source, actual, _digest);
            }

            _verified = true;
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
