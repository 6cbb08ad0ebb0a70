using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MemberCare.Tests.Support;

/// <summary>
/// The real executable, membercare.dll from the test output folder, serving on a free loopback port in a
/// process of its own, so that a test can kill it the way an operating system or an operator would.
/// </summary>
public sealed class MemberCareProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private MemberCareProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri BaseAddress { get; }

    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the server with the given extra arguments and waits until /health answers 200.</summary>
    public static async Task<MemberCareProcess> StartAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("MEMBERCARE_API_KEY");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "membercare.dll"), "--urls", $"http://127.0.0.1:{port}", "--no-demo" }
            .Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start membercare.dll.");
        var server = new MemberCareProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90), ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan patience, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"membercare exited with {_process.ExitCode} before answering /health:{Environment.NewLine}{RecentOutput}");
            }
            try
            {
                using var response = await client.GetAsync("/health", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"membercare did not answer /health with 200 within {patience.TotalSeconds} s:{Environment.NewLine}{RecentOutput}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
