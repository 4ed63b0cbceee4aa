namespace MultiArchContainers.Oci.Model;

/// <summary>Writes through to another stream and hashes every byte on the way, so content is digested while it is written.</summary>
internal sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : WriteOnlyStream(inner)
{
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        Inner.Write(buffer);
    }
}
