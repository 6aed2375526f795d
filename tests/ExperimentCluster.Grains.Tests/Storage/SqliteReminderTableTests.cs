using ExperimentCluster.Silo.Storage;

namespace ExperimentCluster.Grains.Tests.Storage;

public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_upserted_reminder_reads_back_by_grain_and_by_name()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var startAt = new DateTime(2025, 3, 4, 5, 6, 7, 891, DateTimeKind.Utc).AddTicks(2345);
        var etag = await table.UpsertRow(Entry("run-1", "resume", startAt, TimeSpan.FromMinutes(1)));

        var row = await table.ReadRow(RunId("run-1"), "resume");
        var rows = await table.ReadRows(RunId("run-1"));

        Assert.NotNull(row);
        Assert.Equal(RunId("run-1"), row.GrainId);
        Assert.Equal("resume", row.ReminderName);
        Assert.Equal(startAt, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(etag, Assert.Single(rows.Reminders).ETag);
    }

    [Fact]
    public async Task Reading_a_missing_reminder_gives_null_and_no_rows()
    {
        await using var table = TestStorage.Reminders(_database.Path);

        Assert.Null(await table.ReadRow(RunId("nobody"), "resume"));
        Assert.Empty((await table.ReadRows(RunId("nobody"))).Reminders);
    }

    [Fact]
    public async Task Each_upsert_returns_a_new_etag_and_replaces_the_row()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var first = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var second = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(2)));

        Assert.NotEqual(first, second);
        var row = Assert.Single((await table.ReadRows(RunId("run-1"))).Reminders);
        Assert.Equal(second, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
    }

    [Fact]
    public async Task Removing_with_a_stale_etag_returns_false_and_keeps_the_row()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var stale = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var current = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        Assert.False(await table.RemoveRow(RunId("run-1"), "resume", stale!));
        Assert.False(await table.RemoveRow(RunId("run-1"), "resume", "not-an-etag"));
        Assert.Equal(current, (await table.ReadRow(RunId("run-1"), "resume"))?.ETag);
    }

    [Fact]
    public async Task Removing_with_the_current_etag_deletes_only_that_reminder()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var etag = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Entry("run-1", "report", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        Assert.True(await table.RemoveRow(RunId("run-1"), "resume", etag!));

        Assert.Null(await table.ReadRow(RunId("run-1"), "resume"));
        Assert.Equal("report", Assert.Single((await table.ReadRows(RunId("run-1"))).Reminders).ReminderName);
        Assert.False(await table.RemoveRow(RunId("run-1"), "resume", etag!));
    }

    [Fact]
    public async Task A_reminder_removed_and_registered_again_never_reuses_an_old_etag()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var old = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.True(await table.RemoveRow(RunId("run-1"), "resume", old!));

        var renewed = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        Assert.NotEqual(old, renewed);
        Assert.False(await table.RemoveRow(RunId("run-1"), "resume", old!));
    }

    [Fact]
    public async Task A_range_read_excludes_its_begin_and_includes_its_end()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var hashes = await RegisterMany(table, 40);
        var sorted = hashes.Keys.Order().ToArray();
        var begin = sorted[5];
        var end = sorted[20];

        var rows = (await table.ReadRows(begin, end)).Reminders;

        Assert.Equal(sorted[6..21], rows.Select(r => r.GrainId.GetUniformHashCode()).Order());
    }

    [Fact]
    public async Task A_range_read_wraps_around_the_ring_when_begin_is_not_below_end()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var hashes = await RegisterMany(table, 40);
        var sorted = hashes.Keys.Order().ToArray();
        var begin = sorted[30];
        var end = sorted[3];

        var rows = (await table.ReadRows(begin, end)).Reminders;

        var expected = sorted[31..].Concat(sorted[..4]).Order();
        Assert.Equal(expected, rows.Select(r => r.GrainId.GetUniformHashCode()).Order());
    }

    [Fact]
    public async Task A_range_read_whose_begin_equals_its_end_covers_the_whole_ring()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var hashes = await RegisterMany(table, 25);
        var some = hashes.Keys.First();

        Assert.Equal(25, (await table.ReadRows(some, some)).Reminders.Count);
        Assert.Equal(25, (await table.ReadRows(0, 0)).Reminders.Count);
    }

    [Fact]
    public async Task Range_reads_match_a_plain_filter_over_the_ring_for_any_bounds()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        var hashes = await RegisterMany(table, 60);
        var random = new Random(20250304);
        var bounds = new List<(uint Begin, uint End)>
        {
            (0, uint.MaxValue), (uint.MaxValue, 0), (uint.MaxValue, uint.MaxValue), (0, 1), (uint.MaxValue - 1, uint.MaxValue),
        };
        var keys = hashes.Keys.ToArray();
        for (var i = 0; i < 200; i++)
        {
            // Half the bounds sit exactly on stored hashes, where off-by-one mistakes show.
            var begin = i % 2 == 0 ? keys[random.Next(keys.Length)] : (uint)random.NextInt64(0, 1L << 32);
            var end = i % 3 == 0 ? keys[random.Next(keys.Length)] : (uint)random.NextInt64(0, 1L << 32);
            bounds.Add((begin, end));
        }

        foreach (var (begin, end) in bounds)
        {
            var expected = hashes.Keys.Where(h => begin < end ? h > begin && h <= end : h > begin || h <= end).Order();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.GetUniformHashCode()).Order();
            Assert.True(expected.SequenceEqual(actual), $"range ({begin}, {end}]");
        }
    }

    [Fact]
    public async Task Reminders_survive_closing_and_reopening_the_database()
    {
        string? etag;
        await using (var table = TestStorage.Reminders(_database.Path))
        {
            etag = await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        }

        Assert.False(SqliteDatabase.IsOpen(_database.Path));

        await using var reopened = TestStorage.Reminders(_database.Path);
        Assert.Equal(etag, (await reopened.ReadRow(RunId("run-1"), "resume"))?.ETag);
        Assert.Single((await reopened.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task Clearing_the_table_removes_every_reminder()
    {
        await using var table = TestStorage.Reminders(_database.Path);
        await RegisterMany(table, 10);

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task Grain_state_and_reminders_share_one_file_and_it_stays_open_while_either_uses_it()
    {
        var storage = TestStorage.Storage(_database.Path);
        await using var table = TestStorage.Reminders(_database.Path);
        await table.UpsertRow(Entry("run-1", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        await storage.DisposeAsync();

        Assert.True(SqliteDatabase.IsOpen(_database.Path));
        Assert.NotNull(await table.ReadRow(RunId("run-1"), "resume"));
        await table.UpsertRow(Entry("run-2", "resume", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal(2, (await table.ReadRows(0, 0)).Reminders.Count);
    }

    private static async Task<Dictionary<uint, GrainId>> RegisterMany(SqliteReminderTable table, int count)
    {
        var byHash = new Dictionary<uint, GrainId>();
        for (var i = 0; byHash.Count < count; i++)
        {
            var grain = RunId($"run-{i}");
            if (byHash.TryAdd(grain.GetUniformHashCode(), grain))
            {
                await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "resume", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
            }
        }

        return byHash;
    }

    private static ReminderEntry Entry(string key, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = RunId(key), ReminderName = name, StartAt = startAt, Period = period };

    private static GrainId RunId(string key) => GrainId.Create("run", key);
}
