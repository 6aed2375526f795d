using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A real silo process with its HTTP server on a free loopback port, optionally behind a token.</summary>
public sealed class WebSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly RunningProgram _process;

    private WebSilo(RunningProgram process, string folder, int http, int gateway)
    {
        _process = process;
        Folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{http}");
        Gateway = $"127.0.0.1:{gateway}";
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public string Gateway { get; }

    public string Folder { get; }

    /// <summary>A client without the token.</summary>
    public HttpClient Http { get; }

    /// <param name="dir">The silo's folder; its data is in <c>data/</c> under it (a test may fill it first with
    /// `excl run --data-dir`, whose embedded silo runs command sweeps without a token). A new folder by default.</param>
    public static async Task<WebSilo> StartAsync(string? token = null, string? dir = null)
    {
        dir ??= Programs.TempFolder();
        int http = Programs.FreePort(), silo = Programs.FreePort(), gateway = Programs.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{http}",
            ["Cluster__DataDir"] = Path.Combine(dir, "data"),
            ["Cluster__SiloPort"] = silo.ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture),
            ["Experiments__TrainingSlots"] = "2",
        };
        if (token is not null)
            environment["Http__Token"] = token;
        var web = new WebSilo(Programs.Start(Programs.Silo, dir, [], environment), dir, http, gateway);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                if ((await web.Http.GetAsync("/health")).IsSuccessStatusCode)
                    return web;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !web._process.HasExited)
            {
                await Task.Delay(Programs.PollInterval);
            }
            catch
            {
                await web.DisposeAsync();
                throw;
            }
        }
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task SubmitAsync(HttpClient client, string id, string sweepJson)
    {
        var response = await client.PostAsync($"/api/sweeps/{Uri.EscapeDataString(id)}", new StringContent(sweepJson, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"submit answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls the sweep list until the sweep satisfies the condition.</summary>
    public static async Task<JsonNode> WaitForSweepAsync(HttpClient client, string id, Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var list = JsonNode.Parse(await client.GetStringAsync("/api/sweeps"))!.AsArray();
            var sweep = list.FirstOrDefault(s => (string?)s!["id"] == id);
            if (sweep is not null && condition(sweep))
                return sweep;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {id} did not reach the condition in {timeout}: {sweep?.ToJsonString()}");
            await Task.Delay(Programs.PollInterval);
        }
    }

    public string Output => _process.Output + _process.Errors;

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp folder is cleaned by the system.
        }
        return ValueTask.CompletedTask;
    }
}
