namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>One silo process without a token, shared by the tests of a class (starting one takes seconds).</summary>
public sealed class WebSiloFixture : IAsyncLifetime
{
    private WebSilo? _silo;

    public WebSilo Silo => _silo ?? throw new InvalidOperationException("the silo has not started");

    public async Task InitializeAsync() => _silo = await WebSilo.StartAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }
}
