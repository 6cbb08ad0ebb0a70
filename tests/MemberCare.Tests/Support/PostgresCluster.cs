using System.Globalization;
using MemberCare.Tests.Support;
using Npgsql;

[assembly: AssemblyFixture(typeof(PostgresCluster))]

namespace MemberCare.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: initdb in a temp folder, pg_ctl on a free loopback port,
/// stopped and deleted when the run ends. It starts on the first request for a database, so a run that needs
/// none costs nothing. Without PostgreSQL the tests that need it skip, unless MEMBERCARE_REQUIRE_POSTGRES=1
/// (as in CI) turns that into a failure.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string RequireVariable = "MEMBERCARE_REQUIRE_POSTGRES";

    private const string InstallRoot = "/usr/lib/postgresql";

    private readonly StartOnce<Server> _cluster = new("PostgreSQL", RequireVariable, StartAsync);
    private int _databases;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Creates an empty database and returns its connection string; skips (or fails, when required) without PostgreSQL.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct)
    {
        var server = await _cluster.StartedAsync(ct);
        var name = $"membercare_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        if (_cluster.Server is not { } server)
        {
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        // FORCE ends the idle connections that the applications' pools still hold.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster.Server is { } server)
        {
            NpgsqlConnection.ClearAllPools();
            await ExternalTool.RunAsync(server.Tools.PgCtl, ["-D", server.DataFolder, "-m", "immediate", "-w", "stop"], server.Tools.AsRoot ? "postgres" : null, CancellationToken.None);
            ExternalTool.TryDelete(server.Folder);
        }
        _cluster.Dispose();
    }


    private static async Task<(Server? Server, string? Unavailable)> StartAsync(CancellationToken ct)
    {
        if (FindTools() is not { } tools)
        {
            return (null, $"no initdb and pg_ctl under {InstallRoot}/*/bin (install the Debian package 'postgresql').");
        }
        var folder = Path.Combine(Path.GetTempPath(), $"membercare-pg-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        var dataFolder = Path.Combine(folder, "data");
        try
        {
            if (tools.AsRoot)
            {
                // initdb and postgres refuse to run as root; the cluster belongs to the postgres account instead.
                var chown = await ExternalTool.RunAsync("chown", ["postgres", folder], asUser: null, ct);
                if (chown.ExitCode != 0)
                {
                    ExternalTool.TryDelete(folder);
                    return (null, $"running as root and could not hand {folder} to the 'postgres' account: {chown.Output}");
                }
            }
            var init = await ExternalTool.RunAsync(tools.InitDb, ["-D", dataFolder, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], tools.AsRoot ? "postgres" : null, ct);
            if (init.ExitCode != 0)
            {
                ExternalTool.TryDelete(folder);
                return (null, $"initdb failed ({init.ExitCode}): {init.Output}");
            }

            var failures = new List<string>();
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var port = ExternalTool.FreeLoopbackPort();
                var options = string.Join(' ',
                    $"-p {port}",
                    "-c listen_addresses=127.0.0.1",
                    "-c fsync=off",
                    $"-c unix_socket_directories={folder}",
                    "-c max_connections=300");
                var start = await ExternalTool.RunAsync(tools.PgCtl, ["-D", dataFolder, "-l", Path.Combine(folder, "postgres.log"), "-o", options, "-t", "60", "-w", "start"], tools.AsRoot ? "postgres" : null, ct);
                if (start.ExitCode == 0)
                {
                    var admin = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        Username = "postgres",
                        Database = "postgres",
                        Pooling = false,
                        Timeout = 30,
                    }.ConnectionString;
                    return (new Server(tools, folder, dataFolder, admin), null);
                }
                failures.Add($"pg_ctl start on port {port} failed ({start.ExitCode}): {start.Output} {ReadLog(folder)}");
            }
            ExternalTool.TryDelete(folder);
            return (null, string.Join(" | ", failures));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            ExternalTool.TryDelete(folder);
            return (null, $"could not run the PostgreSQL tools: {ex.Message}");
        }
    }

    private static Tools? FindTools()
    {
        if (!Directory.Exists(InstallRoot))
        {
            return null;
        }
        var newest = Directory.GetDirectories(InstallRoot)
            .Select(d => (Folder: d, Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Folder, "bin", "initdb")) && File.Exists(Path.Combine(d.Folder, "bin", "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Folder, "bin"))
            .FirstOrDefault();
        return newest is null
            ? null
            : new Tools(Path.Combine(newest, "initdb"), Path.Combine(newest, "pg_ctl"), AsRoot: ExternalTool.AsRoot);
    }

    private static string ReadLog(string folder)
    {
        var log = Path.Combine(folder, "postgres.log");
        return File.Exists(log) ? string.Join(" ", File.ReadLines(log).TakeLast(5)) : "";
    }

    private sealed record Tools(string InitDb, string PgCtl, bool AsRoot);

    private sealed record Server(Tools Tools, string Folder, string DataFolder, string AdminConnectionString);
}
