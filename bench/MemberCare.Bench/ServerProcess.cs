using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MemberCare.Bench;

/// <summary>The real server, started from its build output as a child process, listening on a free loopback port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private StreamWriter? _log;

    private ServerProcess(Process process, Uri baseAddress, StreamWriter? log)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(string serverAssembly, string apiKey, IEnumerable<string> serverArguments, string? logFile, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: the server finds its appsettings.json there.
            WorkingDirectory = Path.GetDirectoryName(serverAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            serverAssembly, "--urls", $"http://127.0.0.1:{port}", "--no-demo",
            "--Bench:NoopEndpoint=true", "--Api:Keys:0", apiKey, "--Logging:LogLevel:Default", "Warning",
        }.Concat(serverArguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("MEMBERCARE_API_KEY");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var log = logFile is null ? null : new StreamWriter(logFile, append: true) { AutoFlush = true };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), log);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(ct);
        return server;
    }

    public IReadOnlyList<string> LastLines()
    {
        lock (_lastLines)
        {
            return [.. _lastLines];
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lastLines)
        {
            _log?.WriteLine(line);
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{string.Join('\n', LastLines())}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"The server did not become healthy within two minutes:\n{string.Join('\n', LastLines())}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server the way an operator would (SIGTERM), and kills it if it does not go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        lock (_lastLines)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
