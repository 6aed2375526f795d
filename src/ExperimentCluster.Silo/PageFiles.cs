using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ExperimentCluster.Silo;

/// <summary>
/// The experiments page's files, embedded in the assembly: the silo serves them whatever its working folder,
/// and nothing is fetched from outside (the page works offline).
/// </summary>
public static class PageFiles
{
    public static IFileProvider Provider { get; } = new EmbeddedFileProvider(typeof(PageFiles).Assembly, "ExperimentCluster.Silo.wwwroot");

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// Scripts and styles come only from this silo; nothing inline runs, so an unescaped name could not run either. The
    /// Orleans dashboard is served under the same policy: its page has no inline script; its icon font is a data: URL.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static async Task WriteAsync(HttpContext context, string name)
    {
        var file = Provider.GetFileInfo(name);
        if (!file.Exists)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        AddHeaders(context.Response);
        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(context.Response.Body);
    }

    public static void AddHeaders(HttpResponse response)
    {
        AddSecurityHeaders(response);
        response.Headers.CacheControl = "no-cache";
    }

    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
