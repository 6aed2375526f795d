using ExperimentCluster.Silo;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>The token gate's rules, in process: which requests pass with which credentials.</summary>
public sealed class TokenGateTests
{
    private static async Task<int> SendAsync(HttpSettings settings, string method, string path, string? bearer = null, bool cookie = false)
    {
        var gate = new TokenGate(Options.Create(settings));
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (bearer is not null)
            context.Request.Headers.Authorization = "Bearer " + bearer;
        if (cookie)
            context.Request.Headers.Cookie = $"{TokenGate.CookieName}={gate.SessionValue()}";
        var passed = false;
        await gate.InvokeAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        return passed ? 200 : context.Response.StatusCode;
    }

    [Fact]
    public async Task Without_a_token_configured_everything_passes()
    {
        var open = new HttpSettings();
        Assert.Equal(200, await SendAsync(open, "GET", "/dashboard/"));
        Assert.Equal(200, await SendAsync(open, "POST", "/api/sweeps/x/cancel"));
    }

    [Fact]
    public async Task With_reads_left_open_only_changes_and_the_dashboard_need_the_token()
    {
        var settings = new HttpSettings { Token = "t", ProtectReads = false };
        Assert.Equal(200, await SendAsync(settings, "GET", "/api/sweeps"));
        Assert.Equal(200, await SendAsync(settings, "GET", "/metrics"));
        Assert.Equal(401, await SendAsync(settings, "GET", "/dashboard/"));
        Assert.Equal(401, await SendAsync(settings, "POST", "/api/sweeps/x/cancel"));
        Assert.Equal(200, await SendAsync(settings, "POST", "/api/sweeps/x/cancel", bearer: "t"));
    }

    [Fact]
    public async Task The_session_cookie_opens_reads_only_and_a_wrong_bearer_nothing()
    {
        var settings = new HttpSettings { Token = "t" };
        Assert.Equal(200, await SendAsync(settings, "GET", "/api/sweeps", cookie: true));
        Assert.Equal(401, await SendAsync(settings, "POST", "/api/sweeps/x/resume", cookie: true));
        Assert.Equal(401, await SendAsync(settings, "DELETE", "/api/sweeps/x", cookie: true));
        Assert.Equal(401, await SendAsync(settings, "GET", "/api/sweeps", bearer: "T"));
        Assert.Equal(200, await SendAsync(settings, "GET", "/health"));
    }
}
