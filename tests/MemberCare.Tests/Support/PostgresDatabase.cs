namespace MemberCare.Tests.Support;

/// <summary>A class fixture: one fresh database on the test run's cluster for all the tests of a class.</summary>
public sealed class PostgresDatabase(PostgresCluster cluster) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _connectionString;

    /// <summary>The class's database, created on first use; skips or fails the calling test without PostgreSQL.</summary>
    public async Task<string> ConnectionStringAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _connectionString ??= await cluster.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        TestApp.Postgres(await ConnectionStringAsync(), settings, time);

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is { } connectionString)
        {
            await cluster.DropDatabaseAsync(connectionString);
        }
        _gate.Dispose();
    }
}
