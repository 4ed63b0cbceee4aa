using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiArchContainers.Testing;

/// <summary>One request as the proxy saw it, and the status it answered with.</summary>
public sealed record ProxiedRequest(string Method, string Path, long ContentLength, int Status);

/// <summary>
/// A small HTTP/1.1 proxy on a free 127.0.0.1 port in front of a real registry, standing for a gateway: a request
/// whose body is larger than <see cref="MaxBodyLength"/> is read and answered with 413, requests matched by
/// <see cref="Fail"/> get the status it names (a gateway that is busy), everything else goes to the registry
/// unchanged (one registry connection per request). It records every request. The Host header is kept, so the
/// registry's upload locations point back through the proxy.
/// </summary>
public sealed class LimitingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly Task _accepting;
    private readonly List<Fault> _faults = [];

    private sealed class Fault(Func<string, string, bool> matches, int count, int status, string? retryAfter)
    {
        public Func<string, string, bool> Matches { get; } = matches;

        public int Remaining { get; set; } = count;

        public int Status { get; } = status;

        public string? RetryAfter { get; } = retryAfter;
    }

    private LimitingProxy(IPEndPoint upstream, long maxBodyLength)
    {
        _upstream = upstream;
        MaxBodyLength = maxBodyLength;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public long MaxBodyLength { get; }

    /// <summary>host:port of the proxy, to use as the registry's address.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public IReadOnlyList<ProxiedRequest> Requests => _requests.ToArray();

    /// <summary>
    /// Answers the next <paramref name="count"/> requests whose method and path match with <paramref name="status"/>
    /// (and a Retry-After header when given) instead of passing them on.
    /// </summary>
    public void Fail(Func<string, string, bool> matches, int count, int status, string? retryAfter = null)
    {
        lock (_faults)
        {
            _faults.Add(new Fault(matches, count, status, retryAfter));
        }
    }

    private Fault? TakeFault(string method, string path)
    {
        lock (_faults)
        {
            Fault? fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Matches(method, path));
            if (fault is not null)
            {
                fault.Remaining--;
            }

            return fault;
        }
    }

    public static LimitingProxy Start(RegistryProcess registry, long maxBodyLength) =>
        new(new IPEndPoint(IPAddress.Parse(registry.Host), registry.Port), maxBodyLength);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream downstream = client.GetStream();
                while (await ReadHeadAsync(downstream).ConfigureAwait(false) is { } head)
                {
                    if (!await ForwardAsync(downstream, head).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (IOException)
            {
                // The client went away mid-request; nothing to answer.
            }
        }
    }

    /// <summary>Answers one request; false when the connection is to be closed afterwards.</summary>
    private async Task<bool> ForwardAsync(NetworkStream downstream, string head)
    {
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        long length = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault();

        Fault? fault = TakeFault(requestLine[0], requestLine[1]);
        if (length > MaxBodyLength || fault is not null)
        {
            int refused = fault?.Status ?? 413;
            await CopyExactlyAsync(downstream, Stream.Null, length).ConfigureAwait(false);
            _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, refused));
            string retryAfter = fault?.RetryAfter is { } after ? $"Retry-After: {after}\r\n" : string.Empty;
            byte[] refusal = Encoding.ASCII.GetBytes($"HTTP/1.1 {refused} Refused By Proxy\r\nContent-Length: 0\r\n{retryAfter}\r\n");
            await downstream.WriteAsync(refusal).ConfigureAwait(false);
            return true;
        }

        // The registry closes after answering, so its response is everything up to end of stream.
        string forwardedHead = string.Join("\r\n", lines.Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))) + "\r\nConnection: close\r\n\r\n";
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstream).ConfigureAwait(false);
        NetworkStream registry = upstream.GetStream();
        await registry.WriteAsync(Encoding.ASCII.GetBytes(forwardedHead)).ConfigureAwait(false);
        await CopyExactlyAsync(downstream, registry, length).ConfigureAwait(false);
        var response = new MemoryStream();
        await registry.CopyToAsync(response).ConfigureAwait(false);
        byte[] bytes = response.ToArray();
        string statusLine = Encoding.ASCII.GetString(bytes, 0, Math.Max(0, Array.IndexOf(bytes, (byte)'\r')));
        int status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, status));
        await downstream.WriteAsync(bytes).ConfigureAwait(false);
        return false;
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

            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                return Encoding.ASCII.GetString(head.ToArray(), 0, n - 4);
            }
        }
    }

    private static async Task CopyExactlyAsync(Stream from, Stream to, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            int read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count))).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the client closed the connection inside a request body");
            }

            await to.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            count -= read;
        }
    }
}
