namespace MultiArchContainers.Oci.Registry.Transport;

/// <summary>
/// The one retry loop of the registry client (single requests in <see cref="RetryHandler"/>, whole uploads in
/// <see cref="BlobUploader"/>): an attempt that comes back with <see cref="TryAgain"/> runs again after the registry's
/// Retry-After or the next of the delays, said through <c>onRetry</c>, until the delays run out. The last attempt is
/// told it is the last and answers for itself.
/// </summary>
internal sealed class RetryLoop(string registry, IReadOnlyList<TimeSpan> delays, Action<string>? onRetry)
{
    /// <summary>Runs <paramref name="attempt"/> (given whether it is the last) until it succeeds or no try is left.</summary>
    /// <param name="what">What is tried, for the message ("uploading sha256:… to team/app").</param>
    /// <param name="retryable">False: one attempt only, which is then the last.</param>
    /// <param name="attempt">One try, given whether it is the last: its result, or the answer to try again after.</param>
    /// <param name="cancellationToken">Stops the waits between tries.</param>
    public async Task<T> RunAsync<T>(string what, bool retryable, Func<bool, Task<(T? Result, TryAgain? Again)>> attempt, CancellationToken cancellationToken)
    {
        for (int n = 0; ; n++)
        {
            bool last = !retryable || n >= delays.Count;
            (T? result, TryAgain? again) = await attempt(last).ConfigureAwait(false);
            if (again is null || last)
            {
                return result ?? throw new InvalidOperationException($"The last attempt at {what} asked to try again.");
            }

            TimeSpan delay = again.RetryAfter ?? delays[n];
            onRetry?.Invoke($"The registry '{registry}' answered {what} with {again.Answer}; trying again in {delay.TotalSeconds:0.#} s.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
