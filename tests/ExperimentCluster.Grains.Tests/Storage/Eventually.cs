namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>Waits for a condition to hold, polling, and fails the test with a message when it times out.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        Exception? lastError = null;
        T last = default!;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                last = await probe();
                if (condition(last))
                {
                    return last;
                }

                lastError = null;
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                // A call into a cluster that is still converging (a silo just died) may fail; that is what we wait out.
                lastError = exception;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}", lastError);
    }
}
