namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>One silo process started with Http__Token, shared by the tests of a class.</summary>
public sealed class TokenSiloFixture : IAsyncLifetime
{
    public const string Token = "s3cret-token-for-tests";

    private WebSilo? _silo;

    public WebSilo Silo => _silo ?? throw new InvalidOperationException("the silo has not started");

    public async Task InitializeAsync() => _silo = await WebSilo.StartAsync(Token);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }
}
