namespace MemberCare.Tests.Support;

/// <summary>
/// A throwaway server started on first use and at most once per run. Without it the calling test skips with the
/// reason, unless the environment variable that requires it is 1 (as in CI), which turns the skip into a failure.
/// </summary>
public sealed class StartOnce<T>(string what, string requireVariable, Func<CancellationToken, Task<(T? Server, string? Unavailable)>> start) : IDisposable
    where T : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _unavailable;

    /// <summary>The server when it has started, else null (never started, or unavailable).</summary>
    public T? Server { get; private set; }

    public bool Required => Environment.GetEnvironmentVariable(requireVariable) == "1";

    public async Task<T> StartedAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (Server is null && _unavailable is null)
            {
                (Server, _unavailable) = await start(ct);
            }
        }
        finally
        {
            _gate.Release();
        }
        if (Server is { } server)
        {
            return server;
        }
        if (Required)
        {
            Assert.Fail($"{what} is required ({requireVariable}=1) but unavailable: {_unavailable}");
        }
        Assert.Skip($"{what} is unavailable: {_unavailable} Set {requireVariable}=1 to fail instead of skipping.");
        throw new InvalidOperationException("Assert.Skip returned.");
    }

    /// <summary>Runs <paramref name="write"/> under the same lock that guards the start.</summary>
    public async Task SerializedAsync(Func<Task> write, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await write();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
