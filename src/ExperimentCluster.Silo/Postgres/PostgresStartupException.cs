namespace ExperimentCluster.Silo.Postgres;

/// <summary>A silo in postgres mode cannot start: PostgreSQL is unreachable, refuses it, or holds a newer schema. The message names the setting and the host.</summary>
public sealed class PostgresStartupException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>This failure, wherever the host wrapped it.</summary>
    public static PostgresStartupException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresStartupException found)
                return found;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null) is { } inAggregate)
                return inAggregate;
        }
        return null;
    }
}
