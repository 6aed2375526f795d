using System.Net;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A silo with Http:Token: everything but /health needs the token; changing requests need the header itself.</summary>
public sealed class TokenTests(TokenSiloFixture fixture) : IClassFixture<TokenSiloFixture>
{
    private WebSilo Silo => fixture.Silo;

    [Theory]
    [InlineData("GET", "/api/sweeps")]
    [InlineData("GET", "/api/sweeps/any")]
    [InlineData("GET", "/api/sweeps/any/curves")]
    [InlineData("GET", "/api/sweeps/any/runs/0/log")]
    [InlineData("GET", "/api/sweeps/any/runs/0/model")]
    [InlineData("GET", "/api/sweeps/any/export.csv")]
    [InlineData("GET", "/dashboard/")]
    [InlineData("GET", "/dashboard/DashboardCounters")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/app.js")]
    [InlineData("POST", "/api/sweeps/any")]
    [InlineData("POST", "/api/sweeps/any/cancel")]
    [InlineData("POST", "/api/sweeps/any/resume")]
    public async Task Requests_without_the_token_get_401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await Silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_right_token_opens_everything_and_a_wrong_one_nothing()
    {
        using var right = Silo.ClientWithToken(TokenSiloFixture.Token);
        using var wrong = Silo.ClientWithToken("not-the-token");
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await right.PostAsync("/api/sweeps/nothing/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_page_asks_for_the_token_and_its_session_cookie_opens_reads_but_never_changes()
    {
        var page = await Silo.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("id=\"login\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var right = Silo.ClientWithToken(TokenSiloFixture.Token);
        var session = await right.PostAsync("/api/session", null);
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TokenSiloFixture.Token, cookie, StringComparison.Ordinal);

        using var withCookie = new HttpClient { BaseAddress = Silo.BaseAddress };
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await withCookie.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withCookie.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withCookie.PostAsync("/api/sweeps/any/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task In_a_browser_the_token_is_entered_once_and_the_page_then_works()
    {
        using var right = Silo.ClientWithToken(TokenSiloFixture.Token);
        await WebSilo.SubmitAsync(right, "guarded", Sweeps.Tiny("guarded sweep"));
        using var browser = new Browser();

        browser.Open(Silo.BaseAddress);
        var input = browser.Until(d => d.FindElement(By.Id("token")), "the login form");
        browser.Screenshot("token-login");
        input.SendKeys(TokenSiloFixture.Token);
        browser.Driver.FindElement(By.CssSelector("#login button")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#sweeps .sweep-name")).Any(e => e.Text == "guarded sweep"), "the sweeps after logging in");
        Assert.Equal(TokenSiloFixture.Token, browser.Driver.ExecuteScript("return sessionStorage.getItem('excl.token')"));

        // The cookie from the login lets the dashboard, which cannot send a header, load too.
        browser.Open(new Uri(Silo.BaseAddress, "/dashboard/"));
        browser.Until(d => !d.PageSource.Contains("bearer token is required", StringComparison.Ordinal) && d.FindElements(By.TagName("script")).Count > 0, "the dashboard");
    }
}
