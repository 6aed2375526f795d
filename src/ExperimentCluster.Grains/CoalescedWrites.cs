namespace ExperimentCluster.Grains;

/// <summary>
/// Coalesces a grain's state writes: changes are counted, and a caller that needs its change stored waits until a write
/// that started after it has finished. Concurrent callers share writes: one in flight carries every change made before
/// it started, so a reentrant grain with many callers writes once per burst, not once per caller.
/// </summary>
internal sealed class CoalescedWrites(Func<Task> write)
{
    private long _changes;
    private long _persisted;
    private Task? _writing;

    /// <summary>Whether a change has not been stored yet.</summary>
    public bool Pending => _changes > _persisted;

    /// <summary>Notes a change that a later write (the timer's, or any caller's) will carry.</summary>
    public void Changed() => _changes++;

    /// <summary>Notes a change and waits until it is stored.</summary>
    public async Task PersistAsync()
    {
        var mine = ++_changes;
        while (_persisted < mine)
        {
            if (_writing is { IsCompleted: false } inFlight)
            {
                await inFlight;
                continue;
            }
            _writing = WriteAsync(_changes);
            await _writing;
        }
    }

    /// <summary>Drops the changes not yet stored: the state they belong to was cleared, and no write may bring it back.</summary>
    public void Forget() => _persisted = _changes;

    private async Task WriteAsync(long upTo)
    {
        await write();
        _persisted = Math.Max(_persisted, upTo);
    }
}
