using System.Globalization;
using ExperimentCluster.Contracts;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>Follows a sweep until it ends: JSON lines (one per epoch and per finished run), a live table, or plain lines.</summary>
public static class LiveView
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a follower of a cluster waits out a sweep that does not answer. When the silo holding the sweep grain
    /// dies, calls fail or time out until membership declares it dead (seconds with tight settings, up to a minute
    /// with the defaults) and the next call activates the sweep on a survivor; giving up then (as the follower did)
    /// ends `excl watch` with an error although the sweep goes on and completes.
    /// </summary>
    public static readonly TimeSpan ClusterOutage = TimeSpan.FromMinutes(2);

    /// <summary>One poll's limit: a call lost with a dead silo would otherwise wait for the client's 30 s response timeout.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Follows the sweep until it ends. <paramref name="outage"/>: how long to keep trying while the sweep does not
    /// answer (a cluster rides out a silo's death; zero where the caller handles a lost connection itself).
    /// </summary>
    public static async Task<SweepView> FollowAsync(IGrainFactory grains, string id, bool json, TimeSpan outage, CancellationToken cancellationToken)
    {
        // Ctrl-C also stops an embedded silo's host, and its shutdown can end the follow (a failed call, a sweep that is
        // no longer running) before the loop sees the cancellation: after an interrupt, every end is the interrupt.
        try
        {
            var view = await FollowUntilEndAsync(grains, id, json, outage, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return view;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("interrupted while following the sweep", e, cancellationToken);
        }
    }

    private static async Task<SweepView> FollowUntilEndAsync(IGrainFactory grains, string id, bool json, TimeSpan outage, CancellationToken cancellationToken)
    {
        var sweep = grains.Sweep(id);
        long after = 0;
        var current = new Dictionary<int, (EpochRecord Epoch, IReadOnlyDictionary<string, string>? Config)>();
        var lines = new EventLineWriter(grains, id);
        SweepView? view = null;
        DateTime? failingSince = null;

        async Task<SweepEvents> PollAsync()
        {
            while (true)
            {
                try
                {
                    var polled = await sweep.GetEventsAsync(after, 5000).WaitAsync(CallTimeout, cancellationToken) ?? throw await UnknownSweep.ErrorAsync(grains, id);
                    failingSince = null;
                    return polled;
                }
                catch (Exception e) when (e is OrleansException or TimeoutException && outage > TimeSpan.Zero)
                {
                    failingSince ??= DateTime.UtcNow;
                    if (DateTime.UtcNow - failingSince > outage)
                        throw;
                    if (!json)
                        Console.Error.WriteLine($"sweep {id} is not answering ({e.GetType().Name}); waiting for the cluster to move it");
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
        }

        async Task<bool> StepAsync()
        {
            var events = await PollAsync();
            view = events.Sweep;
            foreach (var e in events.Events)
            {
                after = e.Sequence;
                if (json)
                    await lines.WriteAsync(e);
                if (e.Epoch is { } epoch && !e.Status.IsFinished())
                    current[e.Run] = (epoch, null);
                else if (e.Status.IsFinished())
                    current.Remove(e.Run);
            }
            if (json && events.Dropped > 0)
                Console.WriteLine(ExclJson.Line(new DroppedEventLine(events.Dropped)));
            return events.Events.Count == 0 && view.Status != SweepStatus.Running;
        }

        if (json || Console.IsOutputRedirected)
        {
            var lastLine = DateTime.MinValue;
            string? printed = null;
            while (!await StepAsync())
            {
                if (!json && TerminalText.Plain(Progress(view!)) is var line && ShouldPrint(line, printed, DateTime.UtcNow - lastLine))
                {
                    Console.WriteLine(line);
                    (printed, lastLine) = (line, DateTime.UtcNow);
                }
                await Task.Delay(Poll, cancellationToken);
            }
            return view!;
        }

        await AnsiConsole.Live(new Text("starting...")).StartAsync(async ctx =>
        {
            while (!await StepAsync())
            {
                ctx.UpdateTarget(Render(view!, current));
                await Task.Delay(Poll, cancellationToken);
            }
            ctx.UpdateTarget(Render(view!, current));
        });
        return view!;
    }

    /// <summary>Whether a piped follower prints its progress line now: a changed line at most every 5 s, the same line
    /// again only once a minute (that it is still alive). Every 5 s, a log of a long run was the same line over and over.</summary>
    public static bool ShouldPrint(string line, string? printed, TimeSpan sincePrinted) =>
        sincePrinted >= (line == printed ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(5));

    private static string Progress(SweepView v) =>
        $"{v.Id}: {v.FinishedRuns}/{v.PlannedRuns} runs finished, {v.Count(RunStatus.Running)} running, {v.Count(RunStatus.Queued)} queued, " +
        $"{v.Count(RunStatus.Diverged)} diverged, best val loss {SweepPrinter.Num(v.BestValLoss)}";

    private static Rows Render(SweepView v, Dictionary<int, (EpochRecord Epoch, IReadOnlyDictionary<string, string>? Config)> current)
    {
        var done = v.PlannedRuns == 0 ? 0 : (double)v.FinishedRuns / v.PlannedRuns;
        var bar = new BreakdownChart().Width(60)
            .AddItem("finished", v.FinishedRuns, Color.Green)
            .AddItem("left", Math.Max(0, v.PlannedRuns - v.FinishedRuns), Color.Grey);
        var table = new Table().AddColumns("run", "epoch", "train loss", "val loss", "lr");
        foreach (var (run, (epoch, _)) in current.OrderBy(c => c.Key).Take(20))
        {
            table.AddRow(run.ToString(CultureInfo.InvariantCulture), epoch.Epoch.ToString(CultureInfo.InvariantCulture),
                SweepPrinter.Num(epoch.TrainLoss), SweepPrinter.Num(epoch.ValLoss), SweepPrinter.Num(epoch.LearningRate));
        }
        return new Rows(
            new Markup($"[bold]{TerminalText.Markup(v.Name)}[/] {done:P0}  " + TerminalText.Markup(Progress(v))),
            bar,
            table);
    }

    public static string EventLine(SweepEvent e) => e.Status.IsFinished()
        ? ExclJson.Line(new RunEventLine(e.Run, e.Status, e.Reason))
        : ExclJson.Line(new EpochEventLine(e.Run, e.Epoch!));
}
