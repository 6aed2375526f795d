using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ExperimentCluster.EndToEnd.Tests.Web;

namespace ExperimentCluster.EndToEnd.Tests.Input;

/// <summary>Error answers of the API are JSON naming the field; the dashboard is under the page's security policy.</summary>
public sealed class ApiErrorTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    private WebSilo Silo => fixture.Silo;

    [Theory]
    [InlineData("GET", "/api/sweeps/nope/curves?points=abc", 400, "points: 'abc'")]
    [InlineData("GET", "/api/sweeps/nope", 404, "id: no sweep 'nope'")]
    [InlineData("GET", "/api/no-such-endpoint", 404, "path:")]
    [InlineData("GET", "/api/sweeps/nope/runs/0/log", 404, "run: no run 0 in 'nope'")]
    [InlineData("GET", "/api/sweeps/nope/runs/0/log?from=-1", 400, "from: -1 is below 0")]
    [InlineData("GET", "/api/sweeps/nope/runs/0/log?max=abc", 400, "max: 'abc'")]
    [InlineData("POST", "/api/sweeps/..%2F..%2Fx", 400, "id:")]
    public async Task An_error_answer_has_a_json_body_with_the_field_and_the_reason(string method, string path, int status, string error)
    {
        using var response = await Silo.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null });
        Assert.Equal(status, (int)response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith(error, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_file_above_the_size_limit_gets_413_naming_the_limit()
    {
        using var response = await Silo.Http.PostAsync("/api/sweeps/big", new StringContent(new string(' ', 2 * 1024 * 1024) + "{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();
        Assert.Contains("1048576 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_served_under_the_pages_content_security_policy()
    {
        using var page = await Silo.Http.GetAsync("/");
        using var dashboard = await Silo.Http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(page.Headers.GetValues("Content-Security-Policy").Single(), dashboard.Headers.GetValues("Content-Security-Policy").Single());
    }
}
