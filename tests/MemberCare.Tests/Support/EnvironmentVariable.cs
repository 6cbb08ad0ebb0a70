namespace MemberCare.Tests.Support;

/// <summary>
/// Sets a process environment variable for one test and restores it after. The process is shared by tests
/// running in parallel, so one test at a time holds the scope.
/// </summary>
public sealed class EnvironmentVariable : IAsyncDisposable
{
    private static readonly SemaphoreSlim s_oneAtATime = new(1, 1);

    private readonly string _name;
    private readonly string? _previous;

    private EnvironmentVariable(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public static async Task<EnvironmentVariable> SetAsync(string name, string? value)
    {
        await s_oneAtATime.WaitAsync(TestContext.Current.CancellationToken);
        return new EnvironmentVariable(name, value);
    }

    public ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_name, _previous);
        s_oneAtATime.Release();
        return ValueTask.CompletedTask;
    }
}
