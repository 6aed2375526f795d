using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>
/// Headless Debian Chromium driven by Debian's matching chromedriver (test.sh installs both); nothing is downloaded.
/// A fresh profile per browser; screenshots go to the test output's artifacts/ folder.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile;

    public Browser()
    {
        _profile = Programs.TempFolder();
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1400,1100", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }

    public ChromeDriver Driver { get; }

    public static string ArtifactsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public void Open(Uri address) => Driver.Navigate().GoToUrl(address);

    /// <summary>Waits until the condition holds (re-evaluated every 100 ms); the message says what was awaited.
    /// A script that meets an element the page has not drawn yet (it re-renders as it polls and navigates) is tried again, not failed.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(Driver, timeout ?? TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(100), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException), typeof(JavaScriptException));
        return wait.Until(condition);
    }

    /// <summary>Waits until a script's number satisfies the condition, and returns that number.</summary>
    public long UntilNumber(string script, Func<long, bool> accept, string what)
    {
        long seen = 0;
        Until(_ => accept(seen = Number(script)), what);
        return seen;
    }

    public long Number(string script) => Convert.ToInt64(Driver.ExecuteScript(script) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        var path = Path.Combine(ArtifactsFolder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a lock file for a moment; the temp folder is cleaned by the system.
            }
        }
    }
}
