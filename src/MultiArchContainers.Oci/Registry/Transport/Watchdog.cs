namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>Cancels its token when it has not been fed for the limit: an inactivity timer, not a deadline.</summary>
internal sealed class Watchdog : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _limit;

    public Watchdog(CancellationToken outer, TimeSpan limit)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _limit = limit;
        Feed();
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Starts the limit again from now.</summary>
    public void Feed()
    {
        try
        {
            _source.CancelAfter(_limit);
        }
        catch (ObjectDisposedException)
        {
            // The request ended; nothing is timed any more.
        }
    }

    public void Dispose() => _source.Dispose();
}
