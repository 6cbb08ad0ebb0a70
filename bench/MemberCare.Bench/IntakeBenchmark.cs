using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Bench;

internal sealed record BenchSettings(
    string ServerAssembly, int Rate, TimeSpan Duration, TimeSpan WarmUp, int Senders, int Repeats, IReadOnlyList<string> ServerArguments, string? ServerLog, bool Stages = false);

internal sealed record Round(ThroughputResult NoopMax, ThroughputResult IntakeMax, FixedRateResult NoopAtRate, FixedRateResult IntakeAtRate)
{
    public double Ratio => NoopMax.PerSecond > 0 ? IntakeMax.PerSecond / NoopMax.PerSecond : 0;
}

internal sealed record DatabaseReport(string Database, IReadOnlyList<Round> Rounds, long Errors, long Acknowledged, long Created, long Stored, string? FirstProblem)
{
    public bool Consistent => Stored == Acknowledged && Created == Acknowledged;
}

/// <summary>Runs the measurements against one server per database and reports medians of the repeated rounds.</summary>
internal static class IntakeBenchmark
{
    public static async Task<int> RunAsync(BenchSettings settings, IReadOnlyList<string> databases, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync(
            $"MemberCare intake benchmark: {Environment.ProcessorCount} cores shared by server and load generator, " +
            $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        await output.WriteLineAsync(
            $"full speed: {settings.Senders} senders; fixed rate: {settings.Rate}/s; {settings.WarmUp.TotalSeconds:0} s warm-up + " +
            $"{settings.Duration.TotalSeconds:0} s measured per run; {settings.Repeats} rounds; server {settings.ServerAssembly} {string.Join(' ', settings.ServerArguments)}");

        var reports = new List<DatabaseReport>();
        foreach (var database in databases)
        {
            reports.Add(await MeasureAsync(database, settings, output, ct));
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Medians of {settings.Repeats} rounds (latency in ms, measured from the scheduled send time at {settings.Rate} msg/s):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| database | noop msg/s | intake msg/s | intake/noop | noop p50 / p99 / max | intake p50 / p99 / max | non-2xx | stored = acknowledged |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var report in reports)
        {
            var r = report.Rounds;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {report.Database} | {Median(r, x => x.NoopMax.PerSecond):N0} | {Median(r, x => x.IntakeMax.PerSecond):N0} | " +
                $"{Median(r, x => x.Ratio):0.00} | " +
                $"{Median(r, x => x.NoopAtRate.P50Ms):0.0} / {Median(r, x => x.NoopAtRate.P99Ms):0.0} / {Median(r, x => x.NoopAtRate.MaxMs):0.0} | " +
                $"{Median(r, x => x.IntakeAtRate.P50Ms):0.0} / {Median(r, x => x.IntakeAtRate.P99Ms):0.0} / {Median(r, x => x.IntakeAtRate.MaxMs):0.0} | " +
                $"{report.Errors} | {(report.Consistent ? "yes" : "NO")}: {report.Stored:N0} stored, {report.Acknowledged:N0} acknowledged |"));
        }

        var failed = false;
        foreach (var report in reports.Where(r => r.Errors > 0 || !r.Consistent))
        {
            failed = true;
            await output.WriteLineAsync(
                $"{report.Database}: {report.Errors} answers outside 2xx or without an answer; {report.Acknowledged} acknowledged " +
                $"({report.Created} created), {report.Stored} stored. First problem: {report.FirstProblem ?? "(none)"}");
        }
        return failed ? 1 : 0;
    }

    private static async Task<DatabaseReport> MeasureAsync(string database, BenchSettings settings, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"== {database} == (load average {LoadAverage()})");
        ThrowawayPostgres? postgres = null;
        var folder = Path.Combine(Path.GetTempPath(), $"membercare-bench-{Guid.NewGuid():N}");
        try
        {
            DatabaseOptions storage;
            string[] arguments;
            if (database == "postgres")
            {
                postgres = await ThrowawayPostgres.StartAsync();
                var connectionString = postgres.ConnectionString("membercare_bench");
                storage = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString };
                arguments = ["--Database:Provider", "Postgres", "--Database:ConnectionString", connectionString];
                await output.WriteLineAsync($"PostgreSQL on 127.0.0.1:{postgres.Port} (fsync on, synchronous_commit on)");
            }
            else
            {
                storage = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataFolder = folder };
                arguments = ["--Database:DataFolder", folder];
                await output.WriteLineAsync($"SQLite in {folder} (journal_mode WAL, synchronous {storage.SqliteSynchronous})");
            }

            var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var runId = $"bench{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
            var rounds = new List<Round>();
            Target noop, intake;
            string[] timing = settings.Stages ? ["--Intake:StageTiming=true"] : [];
            await using (var server = await ServerProcess.StartAsync(settings.ServerAssembly, apiKey, [.. arguments, .. timing, .. settings.ServerArguments], settings.ServerLog, ct))
            {
                using var handler = new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = 256,
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                };
                using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                noop = new Target("noop", http, new Uri(server.BaseAddress, "api/v1/bench/noop"), new Traffic($"{runId}n", TimeProvider.System));
                intake = new Target("intake", http, new Uri(server.BaseAddress, "api/v1/messages"), new Traffic(runId, TimeProvider.System));

                for (var round = 1; round <= settings.Repeats; round++)
                {
                    ct.ThrowIfCancellationRequested();
                    var stages = new StageReport(http, new Uri(server.BaseAddress, "api/v1/bench/intake-stages"), settings.Stages, output);
                    await stages.ResetAsync();
                    var noopMax = await Load.AtFullSpeedAsync(noop, settings.Senders, settings.WarmUp, settings.Duration);
                    await stages.PrintAsync($"round {round} noop at full speed");
                    var intakeMax = await Load.AtFullSpeedAsync(intake, settings.Senders, settings.WarmUp, settings.Duration);
                    await stages.PrintAsync($"round {round} intake at full speed");
                    var noopAtRate = await Load.AtFixedRateAsync(noop, settings.Rate, settings.WarmUp, settings.Duration);
                    await stages.PrintAsync($"round {round} noop at {settings.Rate}/s");
                    var intakeAtRate = await Load.AtFixedRateAsync(intake, settings.Rate, settings.WarmUp, settings.Duration);
                    await stages.PrintAsync($"round {round} intake at {settings.Rate}/s");
                    var result = new Round(noopMax, intakeMax, noopAtRate, intakeAtRate);
                    rounds.Add(result);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}: full speed noop {noopMax.PerSecond:N0}/s, intake {intakeMax.PerSecond:N0}/s (ratio {result.Ratio:0.00}); " +
                        $"at {settings.Rate}/s (achieved {noopAtRate.AchievedPerSecond:N0} / {intakeAtRate.AchievedPerSecond:N0}) " +
                        $"noop p50 {noopAtRate.P50Ms:0.0} p99 {noopAtRate.P99Ms:0.0} max {noopAtRate.MaxMs:0.0} ms, " +
                        $"intake p50 {intakeAtRate.P50Ms:0.0} p99 {intakeAtRate.P99Ms:0.0} max {intakeAtRate.MaxMs:0.0} ms; " +
                        $"non-2xx {noopMax.Errors + intakeMax.Errors + noopAtRate.Errors + intakeAtRate.Errors}"));
                }
                if (intake.Errors + noop.Errors > 0)
                {
                    foreach (var line in server.LastLines())
                    {
                        await output.WriteLineAsync($"  server: {line}");
                    }
                }
            }

            await output.WriteLineAsync($"load average at the end: {LoadAverage()}");
            var stored = await CountStoredAsync(storage, ct);
            return new DatabaseReport(database, rounds, noop.Errors + intake.Errors, intake.Acknowledged, intake.Created, stored,
                intake.FirstProblem ?? noop.FirstProblem);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (postgres is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await postgres.DisposeAsync();
            }
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Counts the customer messages in the database after the server has stopped: every acknowledged one must be there.</summary>
    private static async Task<long> CountStoredAsync(DatabaseOptions storage, CancellationToken ct)
    {
        var builder = new DbContextOptionsBuilder<MemberCareDb>();
        Database.Configure(builder, storage);
        await using var db = new MemberCareDb(builder.Options);
        return await db.Messages.LongCountAsync(m => m.Direction == MessageDirection.Inbound, ct);
    }

    /// <summary>The machine is shared; the load average says how much else ran beside the benchmark.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Median(IReadOnlyList<Round> rounds, Func<Round, double> figure)
    {
        var values = rounds.Select(figure).Order().ToArray();
        if (values.Length == 0)
        {
            return 0;
        }
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
