using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A sweep file with comments and trailing commas, as excl reads it (the built-in examples have a comment): its
/// page shows the sweep and its edit form. The page read the stored file with JSON.parse and showed only the parse error.</summary>
public sealed class CommentedSweepPageTests(WebSiloFixture fixture) : IClassFixture<WebSiloFixture>
{
    [Fact]
    public async Task A_sweep_file_with_comments_and_trailing_commas_has_its_page_and_edit_form()
    {
        var silo = fixture.Silo;
        var plain = EditSweeps.LongGrid("commented // on the page, }");
        // A comment in front, a block comment inside, a trailing comma at the end; the name's "//" and ",}" are text.
        var commented = "{\n  // written by hand, as excl init writes its examples\n  /* a block\n     comment */" + plain.TrimEnd()[1..^1] + ",\n}";
        await WebSilo.SubmitAsync(silo.Http, "commented", commented);
        using var browser = new Browser();

        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/commented"));

        browser.Until(d => d.FindElement(By.Id("sweep-title")).Text == "commented // on the page, }", "the sweep's page");
        browser.Until(d => d.FindElements(By.CssSelector("#edit-form input[name='concurrency']")).Count == 1, "the edit form, built from the stored file");
        Assert.DoesNotContain("JSON at position", (string)browser.Driver.ExecuteScript("return document.body.textContent")!, StringComparison.Ordinal);
        Assert.True((await silo.Http.PostAsync("/api/sweeps/commented/cancel", null)).IsSuccessStatusCode);
    }
}
