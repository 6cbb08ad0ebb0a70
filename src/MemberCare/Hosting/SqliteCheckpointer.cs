using System.Diagnostics;
using MemberCare.Domain.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace MemberCare.Hosting;

/// <summary>
/// Copies SQLite's write-ahead log into the database file on a connection of its own, so that no commit waits
/// for it. SQLite's automatic checkpoint runs inside the commit that fills the log past 1,000 pages: that commit,
/// and every message waiting on its batch, then waits for a few MiB of page writes and an fsync of the database
/// file. Here every connection turns the automatic checkpoint off (<see cref="Database.SqlitePragmasOf"/>) and this
/// service runs a PASSIVE checkpoint every <see cref="DatabaseOptions.SqliteCheckpointInterval"/>: it copies what
/// is committed without taking the write lock, so intake commits on meanwhile. SQLite starts the log from the
/// beginning again at the next commit after a checkpoint that copied everything. When commits never leave a
/// checkpoint the time to catch up and the log outgrows <see cref="DatabaseOptions.SqliteWalLimitMiB"/>, a
/// TRUNCATE checkpoint takes the write lock for as long as the last frames take to copy and empties the log.
/// Durability is unchanged: a commit is durable once its log frames are fsynced (synchronous=FULL), and a
/// checkpoint fsyncs the database file before the log may be reused.
/// </summary>
public sealed class SqliteCheckpointer(
    IOptions<DatabaseOptions> options,
    ILogger<SqliteCheckpointer> logger,
    Features.Intake.IntakeStages stages) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Provider != DatabaseProvider.Sqlite || settings.SqliteCheckpoint != SqliteCheckpointMode.Background)
        {
            return;
        }
        var connectionString = new SqliteConnectionStringBuilder(settings.ResolveConnectionString()) { Pooling = false }.ToString();
        var walFile = new SqliteConnectionStringBuilder(connectionString).DataSource + "-wal";
        var limit = settings.SqliteWalLimitMiB * 1024L * 1024L;
        using var timer = new PeriodicTimer(settings.SqliteCheckpointInterval);
        SqliteConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(connectionString);
                        await connection.OpenAsync(stoppingToken);
                        await ExecuteAsync(connection, Database.SqlitePragmasOf(settings), stoppingToken);
                    }
                    var mode = File.Exists(walFile) && new FileInfo(walFile).Length > limit ? "TRUNCATE" : "PASSIVE";
                    var started = stages.Start();
                    var clock = Stopwatch.StartNew();
                    await ExecuteAsync(connection, $"PRAGMA wal_checkpoint({mode});", stoppingToken);
                    stages.Add(Features.Intake.IntakeStage.Checkpoint, started);
                    if (mode == "TRUNCATE")
                    {
                        logger.LogInformation("The SQLite log outgrew {Limit} MiB; a TRUNCATE checkpoint emptied it in {Ms} ms", settings.SqliteWalLimitMiB, clock.ElapsedMilliseconds);
                    }
                }
                catch (SqliteException ex)
                {
                    // The next tick tries again; a missed checkpoint only lets the log grow for a while.
                    logger.LogWarning(ex, "SQLite checkpoint failed; retrying in {Interval}", settings.SqliteCheckpointInterval);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
        }
    }
}
