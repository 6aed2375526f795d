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
    public async Task A_sweep_file_sent_as_yaml_is_read_as_excl_reads_a_yaml_file_and_its_errors_name_the_line_or_the_field()
    {
        static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

        using var accepted = await Silo.Http.PostAsync("/api/sweeps/yaml-body", Yaml("""
            name: from-yaml
            training: {dataset: iris, epochs: 2}
            search: {strategy: grid, space: {learning_rate: {values: [0.1, 0.01]}}}
            """));
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        Assert.Equal("from-yaml", (string?)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["name"]);

        using var syntax = await Silo.Http.PostAsync("/api/sweeps/yaml-syntax", Yaml("name: a\ntraining:\n  dataset: iris\n   epochs: 2\n"));
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.StartsWith("line 4, column", JsonNode.Parse(await syntax.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        using var typo = await Silo.Http.PostAsync("/api/sweeps/yaml-typo", Yaml("name: a\ntrainig: {dataset: iris}\n"));
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.StartsWith("trainig: unknown key (did you mean 'training'?)", JsonNode.Parse(await typo.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
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
