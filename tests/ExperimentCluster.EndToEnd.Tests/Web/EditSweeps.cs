using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A sweep to edit while it runs, and the PATCH that edits it.</summary>
public static class EditSweeps
{
    /// <summary>A grid of four rates whose runs last for minutes (400 epochs of a wide network), one at a time (the machine
    /// trains other tests' runs too): run 0 (rate 0.001) is running while a test edits the sweep, and a removed 0.001
    /// leaves it outside the space.</summary>
    public static string LongGrid(string name) => Sweeps.WideGrid(name, 1, 0.001, 0.01, 0.1, 0.3);

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string id, string edit) =>
        client.PatchAsync($"/api/sweeps/{Uri.EscapeDataString(id)}", new StringContent(edit, Encoding.UTF8, "application/json"));
}
