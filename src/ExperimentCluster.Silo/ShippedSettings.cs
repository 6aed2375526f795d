using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ExperimentCluster.Silo;

/// <summary>
/// The appsettings.json built next to the silo, read wherever the silo starts. ASP.NET Core reads appsettings.json from
/// the working folder only, so a silo started from its data folder (`dotnet /opt/excl/ExperimentCluster.Silo.dll`, as
/// the benchmarks and the cluster tests start it) lost its log levels and logged two Polly lines at Information for
/// every grain placement, and listened on Kestrel's localhost:5000 instead of 127.0.0.1:5080. Relative paths (the data
/// folder) stay relative to the working folder.
/// </summary>
public static class ShippedSettings
{
    /// <summary>Adds the shipped file under every other source (the working folder's own appsettings.json, the
    /// environment and the command line still win), unless the working folder is the program's.</summary>
    public static void AddShippedSettings(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        var folder = AppContext.BaseDirectory;
        if (!File.Exists(Path.Combine(folder, "appsettings.json")) ||
            string.Equals(Path.GetFullPath(folder).TrimEnd('/'), Path.GetFullPath(environment.ContentRootPath).TrimEnd('/'), StringComparison.Ordinal))
            return;
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new PhysicalFileProvider(folder),
        });
    }
}
