using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Storage;

/// <summary>The committed migrations of each provider are the model, and they build a database from nothing.</summary>
public abstract class MigrationsSpec
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_committed_migrations_match_the_model()
    {
        await using var db = Open(await EmptyDatabaseAsync());

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes no migration captures: run 'dotnet ef migrations add' for {db.Database.ProviderName}.");
    }

    [Fact]
    public async Task The_migrations_apply_to_an_empty_database_and_leave_nothing_pending()
    {
        await using var db = Open(await EmptyDatabaseAsync());
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync(Ct));

        await db.Database.MigrateAsync(Ct);

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(0, await db.Messages.CountAsync(Ct));
        Assert.Equal(0, await db.Conversations.CountAsync(Ct));
        Assert.Equal(0, await db.Customers.CountAsync(Ct));
        Assert.Equal(0, await db.Orders.CountAsync(Ct));
    }

    /// <summary>Options for a database that exists (or may be created) and holds no table yet.</summary>
    protected abstract Task<DatabaseOptions> EmptyDatabaseAsync();

    private static MemberCareDb Open(DatabaseOptions options)
    {
        var builder = new DbContextOptionsBuilder<MemberCareDb>();
        Database.Configure(builder, options);
        return new MemberCareDb(builder.Options);
    }
}

public sealed class SqliteMigrationsSpec : MigrationsSpec, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));

    protected override Task<DatabaseOptions> EmptyDatabaseAsync() =>
        Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataFolder = _folder });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

public sealed class PostgresMigrationsSpec(PostgresCluster cluster) : MigrationsSpec, IAsyncDisposable
{
    private string? _connectionString;

    protected override async Task<DatabaseOptions> EmptyDatabaseAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync(Ct);
        return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _connectionString };
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await cluster.DropDatabaseAsync(_connectionString);
        }
    }
}
