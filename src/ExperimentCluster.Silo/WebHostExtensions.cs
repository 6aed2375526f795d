using System.IO.Compression;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.Grains;
using Microsoft.AspNetCore.ResponseCompression;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ExperimentCluster.Silo;

/// <summary>The web host's services: JSON shape, compression of the API's answers, the token gate, /metrics.</summary>
public static class WebHostExtensions
{
    public static WebApplicationBuilder AddExperimentWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpSettings>().BindConfiguration("Http");
        builder.Services.AddSingleton<TokenGate>();
        builder.Services.AddSingleton<SiloMetrics>();
        // The API answers in the same JSON as the CLI's --json and the export.
        builder.Services.ConfigureHttpJsonOptions(o => ExclJson.Configure(o.SerializerOptions));
        // A query value that does not bind (?points=abc) becomes an exception, so that ApiErrorExtensions answers it in JSON.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // A 1,000-run sweep's curves are about a megabyte of JSON; numbers compress well.
        builder.Services.AddResponseCompression(o =>
        {
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "text/csv", "text/html", "text/css", "text/javascript", "application/javascript"];
        });
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("experiment-cluster"))
            .WithMetrics(m => m
            .AddMeter(ExperimentMetrics.MeterName, ExperimentMetrics.MeterName + ".Silo")
            .AddPrometheusExporter());
        return builder;
    }
}
