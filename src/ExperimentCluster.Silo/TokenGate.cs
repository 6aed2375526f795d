using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ExperimentCluster.Silo;

/// <summary>
/// The bearer-token check in front of every endpoint (the dashboard's included: it has no auth of its own, and a
/// middleware covers all its JSON routes at once). Browsers cannot add a header to a navigation, so presenting the
/// token once to POST /api/session gives an HttpOnly, SameSite=Strict cookie that is accepted for reads only;
/// changing requests need the header itself, which a cross-site form can never send.
/// </summary>
public sealed class TokenGate(IOptions<HttpSettings> options)
{
    public const string CookieName = "excl_session";

    private readonly byte[]? _tokenHash = options.Value.Token is { Length: > 0 } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;

    private readonly bool _protectReads = options.Value.ProtectReads;

    public bool Enabled => _tokenHash is not null;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_tokenHash is null || IsAlwaysOpen(context.Request))
        {
            await next(context);
            return;
        }
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var path = context.Request.Path;
        var readNeedsToken = _protectReads || path.StartsWithSegments("/dashboard");
        if (HasBearer(context.Request) || (reads && (!readNeedsToken || HasCookie(context.Request))))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        if (reads && (path == "/" || path == "/index.html"))
        {
            // The page's own 401 is the login form: enter the token once, and the page works in this tab.
            await PageFiles.WriteAsync(context, "login.html");
            return;
        }
        await context.Response.WriteAsJsonAsync(new { error = "a bearer token is required (Authorization: Bearer TOKEN)" });
    }

    /// <summary>The cookie's value: derived from the token, so that the cookie never holds the token itself.</summary>
    public string SessionValue() => Convert.ToHexString(HMACSHA256.HashData(_tokenHash!, "excl-session"u8));

    public bool HasBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), _tokenHash);
    }

    private bool HasCookie(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var cookie)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(SessionValue()));

    /// <summary>Health checks and the login page with its script and style need no token (they hold no data).</summary>
    private static bool IsAlwaysOpen(HttpRequest request) =>
        request.Path == "/health" || request.Path == "/login.html" || request.Path == "/login.js" || request.Path == "/app.css";

    public static void AppendSessionCookie(HttpResponse response, string value) =>
        response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(CookieName, value)
        {
            HttpOnly = true,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Strict,
            Path = "/",
        }.ToString());
}
