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
builder.UseOrleans(silo => silo.AddExperimentCluster(settings, dashboard: true, token));
builder.AddExperimentWeb();

var app = builder.Build();
app.MapExperimentEndpoints();
try
{
    await app.RunAsync();
}
catch (Exception e) when (ExperimentCluster.Silo.Postgres.PostgresStartupException.Find(e) is { } failure)
{
    // PostgreSQL unreachable or refusing at start: one line naming the setting and the host, not a stack trace.
    await Console.Error.WriteLineAsync($"silo: {failure.Message}");
    return 3;
}
return 0;
