namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// One queued change, executed by the writer inside a shared transaction and completed only after that
/// transaction commits. An execution either changes nothing and reports a refusal in its result (an etag
/// mismatch), or succeeds; it throws only when SQLite fails, which makes the writer roll the batch back.
/// </summary>
internal abstract class SqliteWrite
{
    public abstract void Execute(SqliteWriter writer);

    public abstract void Publish();

    public abstract void Fail(Exception exception);
}

/// <summary>A queued change whose caller awaits a result of type <typeparamref name="T"/>.</summary>
internal sealed class SqliteWrite<T>(Func<SqliteWriter, T> execute, CancellationToken cancellationToken) : SqliteWrite
{
    // Callers' continuations (grain turns) must not run on the writer loop, which would stall every other writer.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private bool _cancelled;

    public Task<T> Task => _completion.Task;

    public override void Execute(SqliteWriter writer)
    {
        // A caller that gave up before its turn gets nothing written; after execution it is too late to take back.
        _cancelled = cancellationToken.IsCancellationRequested;
        if (!_cancelled)
        {
            _result = execute(writer);
        }
    }

    public override void Publish()
    {
        if (_cancelled)
        {
            _completion.TrySetCanceled(cancellationToken);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
