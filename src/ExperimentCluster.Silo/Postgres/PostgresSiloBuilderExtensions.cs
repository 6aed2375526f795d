using ExperimentCluster.Grains;
using ExperimentCluster.Silo.Checkpoints;
using ExperimentCluster.Silo.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Silo;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// Membership, grain state, checkpoints and reminders in PostgreSQL (the Orleans ADO.NET providers, one shared connection pool),
    /// the schema ensured first; endpoints and failure detection as configured. The pool is in the container
    /// (<see cref="Npgsql.NpgsqlDataSource"/>) for the project's own tables in the same database.
    /// </summary>
    public static ISiloBuilder AddPostgresCluster(this ISiloBuilder silo, SiloSettings settings)
    {
        var db = PostgresConnection.Create(settings.Postgres!, settings.PostgresPassword);
        silo.Services.AddSingleton(db);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            ActivatorUtilities.CreateInstance<PostgresSchemaStartup>(sp, settings));
        silo.ConfigureClusterEndpointsAndMembership(settings);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.DataSource = db;
        });
        silo.AddAdoNetGrainStorage(StorageNames.Experiments, o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.DataSource = db;
        });
        silo.AddPostgresCheckpoints(db);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.DataSource = db;
        });
        return silo;
    }
}
