namespace MemberCare.Tests.Support;

/// <summary>
/// A specification that runs on both databases: the SQLite subclass starts each app on its own temp file, the
/// PostgreSQL subclass on its class's database of the throwaway cluster (skipped, or failed in CI, without one).
/// </summary>
public abstract class DatabaseSpec
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null);
}
