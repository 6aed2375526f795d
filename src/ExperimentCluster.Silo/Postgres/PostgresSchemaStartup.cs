using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ExperimentCluster.Silo.Postgres;

/// <summary>
/// Before anything else in the silo starts (the first lifecycle stage, ahead of membership, storage and reminders):
/// waits for PostgreSQL up to <see cref="SiloSettings.PostgresStartupWait"/>, then ensures the schema. A server that
/// answers with an error (wrong password, no such database) fails at once; one that does not answer fails at the end
/// of the wait. Either way the message names the setting and the host.
/// </summary>
internal sealed class PostgresSchemaStartup(NpgsqlDataSource db, SiloSettings settings, ILogger<PostgresSchemaStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, EnsureAsync);

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var where = PostgresConnection.Describe(settings.Postgres!);
        var deadline = DateTime.UtcNow + settings.PostgresStartupWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await PostgresSchema.EnsureAsync(db, cancellationToken);
                if (applied > 0)
                    logger.LogInformation("PostgreSQL at {Where}: created schema version {Version} ({Count} scripts)", where, PostgresSchema.LatestVersion, applied);
                return;
            }
            catch (PostgresException e)
            {
                throw new PostgresStartupException($"{PostgresConnection.Setting}: PostgreSQL at {where} refused the silo: {e.SqlState} {e.MessageText}", e);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= deadline)
                    throw new PostgresStartupException($"{PostgresConnection.Setting}: cannot reach PostgreSQL at {where} (waited {settings.PostgresStartupWait}, Cluster:PostgresStartupWait): {e.Message}", e);
                logger.LogWarning("PostgreSQL at {Where} not reachable yet ({Message}); waiting", where, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }
}
