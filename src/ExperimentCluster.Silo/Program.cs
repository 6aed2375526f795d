using ExperimentCluster.Silo;
using ExperimentCluster.Silo.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddShippedSettings(builder.Environment);
var settings = builder.Configuration.GetSection("Cluster").Get<SiloSettings>() ?? new SiloSettings();
var token = builder.Configuration.GetSection("Http").Get<HttpSettings>()?.Token;
try
{
    settings.Validate();
    GatewayTokenExtensions.RequireTokenBeyondLoopback(settings, token);
    if (builder.Configuration.GetValue<bool>(ExperimentCluster.CommandTrials.CommandSettings.AllowSetting) && string.IsNullOrEmpty(token))
        throw new ArgumentException($"{ExperimentCluster.CommandTrials.CommandSettings.AllowSetting}: a silo that runs the programs sweeps name needs the cluster token (Http:Token, env Http__Token): without it anyone who reaches its gateway or HTTP port could run code on this machine");
}
catch (ArgumentException e)
{
    // Settings that cannot work (or are unsafe) stop the silo before it binds anything, with one line naming the setting.
    await Console.Error.WriteLineAsync($"silo: {e.Message}");
    return 2;
}
// On a data folder of its own, the silo holds the folder as `excl run` does: a second process on it is refused, and
// excl commands on the folder go through this silo (DataFolderLock).
var holdsFolder = DataFolderLock.Applies(settings);
await using var folderLock = holdsFolder ? TakeDataFolder(settings.DataDir) : null;
if (holdsFolder && folderLock is null)
{
    await Console.Error.WriteLineAsync($"silo: Cluster:DataDir: another process (an excl run or resume, or a silo) is training in {settings.DataDir}; "
        + "stop it first: two would train the same runs into one file (read it meanwhile with excl show --data-dir)");
    return 2;
}
builder.UseOrleans(silo => silo.AddExperimentCluster(settings, dashboard: true, token));
builder.AddExperimentWeb();

var app = builder.Build();
app.MapExperimentEndpoints();
try
{
    await app.StartAsync();
    if (folderLock is not null)
        await DataFolderLock.WriteGatewayNoteAsync(settings.DataDir, settings.GatewayPort);
    await app.WaitForShutdownAsync();
}
catch (Exception e) when (ExperimentCluster.Silo.Postgres.PostgresStartupException.Find(e) is { } failure)
{
    // PostgreSQL unreachable or refusing at start: one line naming the setting and the host, not a stack trace.
    await Console.Error.WriteLineAsync($"silo: {failure.Message}");
    return 3;
}
finally
{
    if (folderLock is not null)
        File.Delete(DataFolderLock.GatewayNote(settings.DataDir));
}
return 0;

static FileStream? TakeDataFolder(string dataDir)
{
    Directory.CreateDirectory(dataDir);
    return DataFolderLock.TryTake(dataDir);
}
