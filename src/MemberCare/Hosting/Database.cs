using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using MemberCare.Domain.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MemberCare.Hosting;

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where the SQLite file lives when no connection string is given.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    public string? ConnectionString { get; set; }

    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// SQLite's synchronous pragma. Full (the default) fsyncs the write-ahead log at every commit, so an
    /// acknowledged message survives a power cut; Normal survives a crashed process but may lose the last
    /// commits on power loss. Group commit makes Full affordable.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// Who copies the write-ahead log back into the database file. Background (the default): a checkpointer
    /// of its own (<see cref="SqliteCheckpointer"/>), so no commit waits for a checkpoint; OnCommit: SQLite's
    /// automatic checkpoint, which runs inside the commit that fills the log past 1,000 pages.
    /// </summary>
    public SqliteCheckpointMode SqliteCheckpoint { get; set; } = SqliteCheckpointMode.Background;

    /// <summary>How often the background checkpointer copies the log into the database file.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SqliteCheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When the log file grows past this many MiB (a checkpoint never caught up, because commits kept coming
    /// while it copied), the checkpointer restarts the log with a TRUNCATE checkpoint, which waits for the writer.
    /// </summary>
    [Range(1, 65_536)]
    public int SqliteWalLimitMiB { get; set; } = 64;

    /// <summary>SQLite's page cache per connection, in MiB (SQLite's own default is 2 MiB).</summary>
    [Range(1, 65_536)]
    public int SqliteCacheMiB { get; set; } = 64;

    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }
        if (Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is Postgres.");
        }
        Directory.CreateDirectory(DataFolder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(DataFolder, "membercare.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }
}

public enum SqliteCheckpointMode
{
    Background,
    OnCommit,
}

public enum SqliteSynchronous
{
    Off,
    Normal,
    Full,
    Extra,
}

public static class Database
{
    public static IServiceCollection AddMemberCareDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        services.AddPooledDbContextFactory<MemberCareDb>((sp, builder) =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
            Configure(builder, options);
        });
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        var connectionString = options.ResolveConnectionString();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsAssembly(MigrationAssemblies.Sqlite))
                    .AddInterceptors(new SqlitePragmas(options));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(MigrationAssemblies.Postgres));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {options.Provider}.");
        }
    }

    public static async Task MigrateAsync(this IDbContextFactory<MemberCareDb> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.IsSqlite)
        {
            // WAL lets readers work while the intake writer commits; the setting is stored in the file.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await db.Database.MigrateAsync(ct);
    }

    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>The pragmas every SQLite connection gets; they last as long as the connection.</summary>
    public static string SqlitePragmasOf(DatabaseOptions options) =>
        $"PRAGMA synchronous={options.SqliteSynchronous.ToString().ToUpperInvariant()}; PRAGMA foreign_keys=ON; " +
        $"PRAGMA cache_size=-{options.SqliteCacheMiB * 1024}; " +
        // With the background checkpointer, no connection checkpoints when it commits.
        (options.SqliteCheckpoint == SqliteCheckpointMode.Background ? "PRAGMA wal_autocheckpoint=0;" : "PRAGMA wal_autocheckpoint=1000;");

    private sealed class SqlitePragmas(DatabaseOptions options) : DbConnectionInterceptor
    {
        private readonly string _pragmas = SqlitePragmasOf(options);

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }
    }
}
