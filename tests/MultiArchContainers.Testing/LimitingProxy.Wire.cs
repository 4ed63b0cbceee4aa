using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;

namespace MultiArchContainers.Testing;

/// <summary>The proxy's wire work: altering answers, reading request heads, copying bodies.</summary>
public sealed partial class LimitingProxy
{
    /// <summary>The registry's answer with the Location rewritten and the body tampered with, where asked.</summary>
    private byte[] Alter(string method, string path, byte[] answer)
    {
        int split = answer.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            return answer;
        }

        string head = Encoding.ASCII.GetString(answer, 0, split);
        byte[] body = answer[(split + 4)..];
        if (_rewriteLocation is { } rewrite)
        {
            head = string.Join("\r\n", head.Split("\r\n").Select(line =>
                line.StartsWith("Location:", StringComparison.OrdinalIgnoreCase) ? "Location: " + rewrite(line["Location:".Length..].Trim()) : line));
        }

        if (_rewriteHead is { } rewriteHead)
        {
            head = rewriteHead(method, path, head);
        }

        if (_tamper?.Invoke(method, path) == true && body.Length > 0)
        {
            body[^1] ^= 0xFF;
        }

        return [.. Encoding.ASCII.GetBytes(head + "\r\n\r\n"), .. body];
    }

    /// <summary>Reads a request head up to its blank line; null at end of stream.</summary>
    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return null;
            }

            // Not HTTP (a client trying TLS first, as the .NET SDK does with an insecure registry): close, as a
            // plain-HTTP registry's refusal would end the attempt, instead of waiting for a head that never comes.
            if (head.Count == 0 && !char.IsAsciiLetterUpper((char)one[0]))
            {
                return null;
            }

            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                return Encoding.ASCII.GetString(head.ToArray(), 0, n - 4);
            }
        }
    }

    private async Task CopyExactlyAsync(Stream from, Stream to, long count)
    {
        int throttle = _bodyBytesPerSecond;
        var buffer = new byte[81920];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long copied = 0;
        while (count > 0)
        {
            int read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count))).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the client closed the connection inside a request body");
            }

            await to.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            count -= read;
            copied += read;
            if (throttle > 0 && TimeSpan.FromSeconds((double)copied / throttle) - clock.Elapsed is { Ticks: > 0 } ahead)
            {
                await Task.Delay(ahead).ConfigureAwait(false);
            }
        }
    }

    private sealed class CutException : Exception;

    /// <summary>Passes writes through and counts them.</summary>
    private sealed class CountingStream(Stream inner, Action<long> counted) : MultiArchContainers.Oci.Model.WriteOnlyStream(inner)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Inner.Write(buffer, offset, count);
            counted(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            counted(buffer.Length);
        }
    }
}
