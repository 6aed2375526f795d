using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>
/// Trains one run's chunks (epochs, or a range test's mini-batches) back to back on a training thread and hands each (metrics and checkpoint) to the
/// grain, at most <see cref="Ahead"/> epochs ahead of what the grain has taken. The grain writes and reports each
/// epoch in order and decides, from the sweep's answer, whether the next one counts; epochs trained past a stop are
/// dropped, so a run's outcome is exactly that of one trained an epoch at a time.
/// Why back to back: when every core is a training slot, a training thread that waits for the grain between epochs
/// then waits again for a core to wake up on; measured with the `sweep` benchmark, bench/ExperimentCluster.Bench (2 slots, 2 cores, 40 ms epochs)
/// that cost 8 % of the slots' time.
/// </summary>
/// <para>A checkpoint is taken after an epoch only when <paramref name="checkpointInterval"/> has passed since the last one
/// (or the training started), and after the last epoch: taking one copies and hashes every parameter and moment (2.4 MB
/// for a 512-512 network on digits), which cost 18 % of the slots' time when it was done after every 50 ms epoch
/// (`bench/cluster-bench.sh`). An epoch without one resumes from the one before it, training the epochs between again.</para>
internal sealed class EpochPipeline(IRunTrainer trainer, TrainingSlots slots, TimeSpan checkpointInterval, CancellationToken cancellationToken) : IRunChunks
{
    /// <summary>Two: the thread trains epoch k+2 while the grain stores and reports epoch k+1.</summary>
    private const int Ahead = 2;

    private readonly Channel<TrainedEpoch> _epochs =
        Channel.CreateUnbounded<TrainedEpoch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lock _lock = new();
    private int _untaken;
    private bool _training;
    private bool _finished;
    private bool _stopping;
    private Task _worker = Task.CompletedTask;
    private long _lastCheckpoint = System.Diagnostics.Stopwatch.GetTimestamp();

    public RunEnd End => RunEnd.Of(trainer);

    /// <summary>The next epoch, in order (never null: the last one says Last); throws what training threw (cancellation
    /// on deactivation, a failure).</summary>
    public async Task<TrainedEpoch?> NextAsync()
    {
        StartIfIdle();
        TrainedEpoch epoch;
        try
        {
            epoch = await _epochs.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e) when (e.InnerException is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        lock (_lock)
            _untaken--;
        StartIfIdle();
        return epoch;
    }

    public bool TryNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainedEpoch? chunk)
    {
        if (!_epochs.Reader.TryRead(out chunk))
            return false;
        lock (_lock)
            _untaken--;
        StartIfIdle();
        return true;
    }

    /// <summary>
    /// Stops at the next epoch boundary and waits until the trainer is no longer in use. The worker never faults (a
    /// failure after the last epoch the grain took goes to the channel, unread); it is only cancelled on deactivation.
    /// </summary>
    public async Task StopAsync()
    {
        Abandon();
        await _worker;
    }

    /// <summary>Stops at the next epoch boundary without waiting (the grain's loop is leaving on an error).</summary>
    public Task LeaveAsync()
    {
        Abandon();
        return Task.CompletedTask;
    }

    private void Abandon()
    {
        lock (_lock)
            _stopping = true;
    }

    private void StartIfIdle()
    {
        lock (_lock)
        {
            if (_training || _finished || _stopping || _untaken >= Ahead)
                return;
            _training = true;
        }
        _worker = slots.ComputeAsync(TrainWhileRoom, cancellationToken);
    }

    /// <summary>Never throws: a failure reaches the grain through the channel. (The value only satisfies ComputeAsync.)</summary>
    private bool TrainWhileRoom()
    {
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    if (_finished || _stopping || _untaken >= Ahead)
                    {
                        _training = false;
                        return true;
                    }
                }
                var metrics = trainer.TrainChunk(cancellationToken);
                var last = trainer.Status != TrainingStatus.Running || trainer.ChunksDone >= trainer.Chunks;
                byte[]? checkpoint = null;
                if (last || System.Diagnostics.Stopwatch.GetElapsedTime(_lastCheckpoint) >= checkpointInterval)
                {
                    checkpoint = trainer.SaveCheckpoint();
                    _lastCheckpoint = System.Diagnostics.Stopwatch.GetTimestamp();
                }
                lock (_lock)
                {
                    _untaken++;
                    _finished = last;
                }
                _epochs.Writer.TryWrite(new TrainedEpoch(metrics, checkpoint, last));
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _training = false;
                _finished = true;
            }
            _epochs.Writer.TryComplete(e);
            return true;
        }
    }
}
