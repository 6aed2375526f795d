using ExperimentCluster.Silo;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Cluster").Get<SiloSettings>() ?? new SiloSettings();
builder.UseOrleans(silo => silo.AddExperimentCluster(settings, dashboard: true));
builder.AddExperimentWeb();

var app = builder.Build();
app.MapExperimentEndpoints();
app.Run();
