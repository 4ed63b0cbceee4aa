using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;

namespace MultiArchContainers.Testing;

/// <summary>One request as the proxy saw it, the status it answered with, and its Authorization header (null when none).</summary>
public sealed record ProxiedRequest(string Method, string Path, long ContentLength, int Status, string? Authorization = null);

/// <summary>
/// A small HTTP/1.1 proxy on a free 127.0.0.1 port in front of a real registry, standing for a gateway: a request
/// whose body is larger than <see cref="MaxBodyLength"/> is read and answered with 413, requests matched by
/// <see cref="Fail"/> get the status it names (a gateway that is busy), everything else goes to the registry
/// unchanged (one registry connection per request). It records every request. The Host header is kept, so the
/// registry's upload locations point back through the proxy.
/// It also plays a hostile or unusual registry in front of the real one: it can demand basic auth itself, rewrite
/// the Location of answers (uploads or downloads handed to another host), alter a body, or answer with bytes of a
/// test's own (endless, stalled, cut short, malformed).
/// </summary>
public sealed partial class LimitingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly Task _accepting;
    private readonly List<Fault> _faults = [];
    private readonly List<(Func<string, string, bool> Matches, Func<Stream, Task> Respond)> _answers = [];
    private (string User, string Password)? _basicAuth;
    private Func<string, string>? _rewriteLocation;
    private Func<string, string, bool>? _tamper;
    private readonly List<(Func<string, string, bool> Matches, long After)> _cuts = [];
    private Func<string, string, string, string>? _rewriteHead;

    private sealed class Fault(Func<string, string, bool> matches, int count, int status, string? retryAfter)
    {
        public Func<string, string, bool> Matches { get; } = matches;

        public int Remaining { get; set; } = count;

        public int Status { get; } = status;

        public string? RetryAfter { get; } = retryAfter;
    }

    private LimitingProxy(IPEndPoint upstream, long maxBodyLength, IPAddress bind)
    {
        _upstream = upstream;
        MaxBodyLength = maxBodyLength;
        _listener = new TcpListener(bind, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public long MaxBodyLength { get; }

    /// <summary>host:port of the proxy, to use as the registry's address.</summary>
    public string Address => $"{((IPEndPoint)_listener.LocalEndpoint).Address}:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Bytes written by <see cref="Answer"/> responders so far, for tests that check a client stopped reading.</summary>
    public long BytesAnswered => Interlocked.Read(ref _bytesAnswered);

    private long _bytesAnswered;
    private int _bodiesNow;
    private int _mostBodiesAtOnce;

    /// <summary>Refuses every request without this basic credential with 401 and a Basic challenge, as a registry with auth does.</summary>
    public void RequireBasicAuth(string user, string password) => _basicAuth = (user, password);

    /// <summary>
    /// Reads every request body at about <paramref name="bytesPerSecond"/> (a slow link, or a slow registry), through a
    /// small receive buffer, so the client's writes wait for the reads as they would over a slow network.
    /// </summary>
    public void ReadBodiesAt(int bytesPerSecond)
    {
        _bodyBytesPerSecond = bytesPerSecond;
        _listener.Server.ReceiveBufferSize = 64 * 1024;
    }

    private int _bodyBytesPerSecond;

    /// <summary>Rewrites the Location header of the registry's answers (an upload or download handed to another host).</summary>
    public void RewriteLocation(Func<string, string> rewrite) => _rewriteLocation = rewrite;

    /// <summary>Flips the last byte of the body of the answers to matching requests (content altered on the way).</summary>
    public void TamperWith(Func<string, string, bool> matches) => _tamper = matches;

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with whatever <paramref name="respond"/> writes to the
    /// connection (status line, headers and body of its own), then closes it. Writes go through a counting stream.
    /// </summary>
    public void Answer(Func<string, string, bool> matches, int count, Func<Stream, Task> respond)
    {
        lock (_answers)
        {
            for (int i = 0; i < count; i++)
            {
                _answers.Add((matches, respond));
            }
        }
    }

    private Func<Stream, Task>? TakeAnswer(string method, string path)
    {
        lock (_answers)
        {
            int index = _answers.FindIndex(a => a.Matches(method, path));
            if (index < 0)
            {
                return null;
            }

            Func<Stream, Task> respond = _answers[index].Respond;
            _answers.RemoveAt(index);
            return respond;
        }
    }

    public IReadOnlyList<ProxiedRequest> Requests => _requests.ToArray();

    /// <summary>The most requests with a body the proxy forwarded to the registry at one time.</summary>
    public int MostBodiesAtOnce => Volatile.Read(ref _mostBodiesAtOnce);

    /// <summary>
    /// Closes the connection of the next <paramref name="count"/> matching requests after <paramref name="after"/> bytes
    /// of their body (a registry or gateway that goes away mid-upload: the client's next write meets a broken pipe).
    /// </summary>
    public void CutBodies(Func<string, string, bool> matches, int count, long after)
    {
        lock (_cuts)
        {
            for (int i = 0; i < count; i++)
            {
                _cuts.Add((matches, after));
            }
        }
    }

    /// <summary>
    /// Rewrites the head (status line and headers) of the registry's answers: given method, path and head, returns the
    /// head to send (a header added or left out, as a hosted registry would).
    /// </summary>
    public void RewriteHead(Func<string, string, string, string> rewrite) => _rewriteHead = rewrite;

    private long? TakeCut(string method, string path)
    {
        lock (_cuts)
        {
            int index = _cuts.FindIndex(c => c.Matches(method, path));
            if (index < 0)
            {
                return null;
            }

            long after = _cuts[index].After;
            _cuts.RemoveAt(index);
            return after;
        }
    }

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

    /// <param name="registry">The real registry behind the proxy.</param>
    /// <param name="maxBodyLength">Request bodies above this get 413.</param>
    /// <param name="bind">The loopback address to listen on; another one (127.0.0.2) is another host to a client.</param>
    public static LimitingProxy Start(RegistryProcess registry, long maxBodyLength = long.MaxValue, string bind = "127.0.0.1") =>
        new(new IPEndPoint(IPAddress.Parse(registry.Host), registry.Port), maxBodyLength, IPAddress.Parse(bind));

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
            if (_bodyBytesPerSecond > 0)
            {
                client.ReceiveBufferSize = 64 * 1024;
            }

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
            catch (CutException)
            {
                // Closed mid-body: the client's next write meets a broken pipe.
                client.Client.Shutdown(SocketShutdown.Both);
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

        string? authorization = lines.Skip(1).Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();
        if (_basicAuth is { } basic && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.User}:{basic.Password}")))
        {
            await CopyExactlyAsync(downstream, Stream.Null, length).ConfigureAwait(false);
            _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, 401, authorization));
            await downstream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\n\r\n")).ConfigureAwait(false);
            return true;
        }

        if (TakeCut(requestLine[0], requestLine[1]) is { } cutAfter)
        {
            await CopyExactlyAsync(downstream, Stream.Null, Math.Min(length, cutAfter)).ConfigureAwait(false);
            _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, -1, authorization));
            throw new CutException();
        }

        if (TakeAnswer(requestLine[0], requestLine[1]) is { } respond)
        {
            await CopyExactlyAsync(downstream, Stream.Null, length).ConfigureAwait(false);
            _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, 0, authorization));
            await respond(new CountingStream(downstream, n => Interlocked.Add(ref _bytesAnswered, n))).ConfigureAwait(false);
            return false;
        }

        Fault? fault = TakeFault(requestLine[0], requestLine[1]);
        if (length > MaxBodyLength || fault is not null)
        {
            int refused = fault?.Status ?? 413;
            await CopyExactlyAsync(downstream, Stream.Null, length).ConfigureAwait(false);
            _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, refused, authorization));
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
        var response = new MemoryStream();
        if (length > 0)
        {
            int now = Interlocked.Increment(ref _bodiesNow);
            int most;
            while (now > (most = Volatile.Read(ref _mostBodiesAtOnce)) && Interlocked.CompareExchange(ref _mostBodiesAtOnce, now, most) != most)
            {
            }
        }

        try
        {
            await CopyExactlyAsync(downstream, registry, length).ConfigureAwait(false);
            await registry.CopyToAsync(response).ConfigureAwait(false);
        }
        finally
        {
            if (length > 0)
            {
                Interlocked.Decrement(ref _bodiesNow);
            }
        }

        byte[] bytes = Alter(requestLine[0], requestLine[1], response.ToArray());
        string statusLine = Encoding.ASCII.GetString(bytes, 0, Math.Max(0, Array.IndexOf(bytes, (byte)'\r')));
        int status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        _requests.Enqueue(new ProxiedRequest(requestLine[0], requestLine[1], length, status, authorization));
        await downstream.WriteAsync(bytes).ConfigureAwait(false);
        return false;
    }
}
