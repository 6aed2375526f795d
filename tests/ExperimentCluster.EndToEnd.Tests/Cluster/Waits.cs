namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>Waiting on conditions, never on the clock: polls until true, fails with a description at the deadline.</summary>
public static class Waits
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not met in {timeout}: {describe()}");
            await Task.Delay(Programs.PollInterval);
        }
    }

    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T?, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (true)
        {
            try
            {
                last = await read();
                if (done(last))
                    return last;
            }
            catch (Exception e) when (e is not OutOfMemoryException && DateTime.UtcNow < deadline)
            {
                // While a silo dies or restarts a call may fail or time out; the next poll asks again.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not met in {timeout}: {describe(last)}");
            await Task.Delay(Programs.PollInterval);
        }
    }
}
