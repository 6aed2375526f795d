namespace ExperimentCluster.Cli;

/// <summary>Ctrl-C (or SIGTERM) becomes a cancellation: the command stops cleanly and keeps the latest checkpoints.</summary>
public sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly System.Runtime.InteropServices.PosixSignalRegistration _term;

    public Interrupt()
    {
        Console.CancelKeyPress += OnCancel;
        _term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            _cts.Cancel();
        });
    }

    public CancellationToken Token => _cts.Token;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _term.Dispose();
        _cts.Dispose();
    }
}
