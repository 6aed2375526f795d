using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentCluster.Contracts.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ExperimentCluster.Silo;

/// <summary>
/// Every error answer of the API carries a JSON body naming the field and the reason: a parameter that does not bind
/// (?points=abc), a route that does not exist, a body too large, and any exception (a grain call that timed out), which
/// is logged here and answered without its stack trace.
/// </summary>
public static partial class ApiErrorExtensions
{
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The middleware logs the exception with its stack trace; the client gets one line.
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, message) = Describe(error);
                context.Response.StatusCode = status;
                return WriteAsync(context.Response, message);
            },
        });
        app.UseStatusCodePages(context =>
        {
            var response = context.HttpContext.Response;
            if (!context.HttpContext.Request.Path.StartsWithSegments("/api") || response.HasStarted || response.ContentLength > 0)
                return Task.CompletedTask;
            var message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"path: no API endpoint {context.HttpContext.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"method: {context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}",
                StatusCodes.Status413PayloadTooLarge => "body: too large",
                StatusCodes.Status415UnsupportedMediaType => "body: unsupported media type",
                var code => $"request: failed with HTTP {code}",
            };
            return WriteAsync(response, message);
        });
        return app;
    }

    public static Task WriteAsync(HttpResponse response, string message)
    {
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(JsonSerializer.Serialize(new ApiError(message), ExclJson.Options));
    }

    private static (int Status, string Message) Describe(Exception? error) => error switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "body: larger than the silo accepts"),
        BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } m =>
            (bad.StatusCode, $"{m.Groups["name"].Value}: '{m.Groups["value"].Value}' is not a valid {m.Groups["type"].Value.TrimEnd('?')}"),
        BadHttpRequestException bad => (bad.StatusCode, "request: " + bad.Message),
        TimeoutException => (StatusCodes.Status503ServiceUnavailable, "cluster: did not answer in time; try again"),
        OrleansException => (StatusCodes.Status503ServiceUnavailable, "cluster: not reachable now; try again"),
        OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "request: cancelled"),
        _ => (StatusCodes.Status500InternalServerError, "server: an internal error (logged on the silo)"),
    };

    // ASP.NET Core's words for a query or route value of the wrong type: Failed to bind parameter "int? points" from "abc".
    [GeneratedRegex(@"parameter ""(?<type>\S+) (?<name>[^""]+)"" from ""(?<value>[^""]*)""")]
    private static partial Regex BindFailure();
}
