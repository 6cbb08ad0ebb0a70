using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MemberCare.Bench;

/// <summary>
/// A PostgreSQL cluster of its own for one run, as the tests start one: initdb and pg_ctl from the Debian
/// packages, run as the postgres user, on a free loopback port in a temporary folder that is removed afterwards.
/// Durability settings are PostgreSQL's defaults (fsync and synchronous_commit on), so a 2xx is as durable as on SQLite.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private ThrowawayPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl); install the postgresql package.");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"membercare-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var port = FreeLoopbackPort();
        var cluster = new ThrowawayPostgres(bin, folder, port);
        try
        {
            await RunAsync("chown", "postgres:postgres", folder);
            await cluster.AsPostgresAsync("initdb", "-D", Path.Combine(folder, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            await cluster.AsPostgresAsync("pg_ctl", "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200", "start");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
        {
            try
            {
                await AsPostgresAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
            }
        }
        Directory.Delete(_folder, recursive: true);
    }

    private Task AsPostgresAsync(string tool, params string[] arguments) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}{await error}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
