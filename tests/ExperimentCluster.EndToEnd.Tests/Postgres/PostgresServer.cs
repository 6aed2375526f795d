using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.EndToEnd.Tests.Cluster;
using Npgsql;

namespace ExperimentCluster.EndToEnd.Tests.Postgres;

/// <summary>
/// A private PostgreSQL server (Debian's postgresql package) for one test: <c>initdb</c> in a temporary folder, then
/// <c>pg_ctl</c> on a free loopback port, a password on TCP connections; never the system's server. It can be killed
/// (kill -9 of the postmaster, as a crash) and started again on the same port and data; Dispose stops it and deletes
/// the folder.
/// <para>
/// The binaries: initdb and pg_ctl on PATH, else Debian's /usr/lib/postgresql/VERSION/bin (the package puts them
/// there, not on PATH; the newest version wins). Running as root: PostgreSQL refuses to run as root, and tests run as
/// root here and in CI, so every initdb/pg_ctl call goes through <c>setpriv</c> (util-linux, present on Debian) as the
/// <c>postgres</c> user the package creates (else <c>nobody</c>), and the folder is created for and owned by that
/// user. setpriv rather than su/runuser: it only changes ids and executes, with no login shell, PAM or TTY.
/// </para>
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "excl";
    public const string Password = "pg-test-password";

    private readonly string _dir;
    private readonly string? _runAs;

    private PostgresServer(string dir, int port, string? runAs)
    {
        _dir = dir;
        Port = port;
        _runAs = runAs;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(_dir, "data");

    private string LogFile => Path.Combine(_dir, "server.log");

    /// <summary>The connection string silos and clients are given for a database (the password goes separately).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username={User}";

    /// <summary>initdb in a fresh folder, then starts the server.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var runAs = Environment.UserName == "root" ? UnprivilegedUser() : null;
        // Not under the test's temporary folder: every folder above the data must be traversable by that user.
        var dir = Path.Combine(Path.GetTempPath(), "excl-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var server = new PostgresServer(dir, Programs.FreePort(), runAs);
        var passwordFile = Path.Combine(dir, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (runAs is not null)
            await RunAsync("chown", ["-R", runAs, dir]);
        // scram on TCP (what silos use), trust on the private socket folder; --no-sync: a test database need not survive the machine.
        await server.ToolAsync("initdb", ["-D", server.DataDir, "-U", User, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"]);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after a kill: on the same port and data) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        // After a kill -9 the killed postmaster's backends may still be exiting (they notice its death on their next
        // wait); until they have, a new postmaster refuses the old shared memory. So: try again for a while.
        await Waits.UntilAsync(async () =>
        {
            try
            {
                await ToolAsync("pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "30", "start", "-o",
                    $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {_dir} -c max_connections=200"]);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => "PostgreSQL did not start:\n" + Log());
    }

    /// <summary>kill -9 of the postmaster only, as a crash of the server process: no shutdown, no checkpoint.</summary>
    public void KillPostmaster()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill(entireProcessTree: false);
        postmaster.WaitForExit();
    }

    /// <summary>Creates an empty database (each cluster of a test gets its own).</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        await using var db = DataSource("postgres");
        await using var command = db.CreateCommand($"CREATE DATABASE \"{name}\"");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A connection pool to a database, for the test's own checks.</summary>
    public NpgsqlDataSource DataSource(string database) =>
        NpgsqlDataSource.Create($"{ConnectionString(database)};Password={Password};Pooling=false");

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ToolAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test killed it).
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private Task ToolAsync(string tool, IReadOnlyList<string> args)
    {
        var path = Binary(tool);
        return _runAs is null
            ? RunAsync(path, args)
            : RunAsync("setpriv", ["--reuid", _runAs, "--regid", _runAs, "--init-groups", "--", path, .. args]);
    }

    private static string Binary(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, tool)))
                return Path.Combine(dir, tool);
        }
        const string debian = "/usr/lib/postgresql";
        var found = Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Path: Path.Combine(d, "bin", tool)))
                .Where(c => File.Exists(c.Path))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Path)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException($"{tool} not found on PATH or under {debian}/*/bin: install Debian's postgresql package (./test.sh does)");
    }

    private static string UnprivilegedUser() =>
        File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        using var p = ChildProcess.Start(file, args, Path.GetTempPath());
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!p.HasExited)
            await Task.Delay(Programs.PollInterval, cts.Token);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}\n{p.Output}");
    }
}
