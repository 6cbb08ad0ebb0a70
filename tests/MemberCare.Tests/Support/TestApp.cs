using System.Net.Http.Headers;
using MemberCare.Domain.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Support;

/// <summary>The real application over HTTP in memory, on its own database, with the real migrations.</summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-0123456789";

    private readonly DatabaseProvider _provider;
    private readonly string? _connectionString;
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;

    private TestApp(DatabaseProvider provider, string? connectionString, IDictionary<string, string?>? settings, TimeProvider? time)
    {
        _provider = provider;
        _connectionString = connectionString;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _time = time;
    }

    public DatabaseProvider Provider => _provider;

    public static TestApp Sqlite(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        new(DatabaseProvider.Sqlite, null, settings, time);

    public static TestApp Postgres(string connectionString, IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        new(DatabaseProvider.Postgres, connectionString, settings, time);

    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public async Task<MemberCareDb> OpenDbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().CreateDbContextAsync();

    /// <summary>How many rows each table holds: compared before and after a request to prove it wrote nothing.</summary>
    public async Task<RowCounts> CountRowsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await OpenDbAsync();
        return new RowCounts(
            await db.Customers.CountAsync(ct),
            await db.CustomerIdentities.CountAsync(ct),
            await db.Conversations.CountAsync(ct),
            await db.Messages.CountAsync(ct));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", _provider.ToString());
        builder.UseSetting("Database:DataFolder", _dataFolder);
        builder.UseSetting("Database:ConnectionString", _connectionString ?? "");
        builder.UseSetting("Demo:SeedOnFirstStart", "false");
        builder.UseSetting("Api:Keys:0", ApiKey);
        // A test that is not about routing must not see its messages handed to a department by the default rules;
        // the routing tests switch them on (the product's default) where they test them.
        builder.UseSetting("Routing:DefaultHandoffRulesEnabled", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(_dataFolder))
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open is left to the temp folder's cleanup.
        }
        GC.SuppressFinalize(this);
    }
}

public readonly record struct RowCounts(int Customers, int Identities, int Conversations, int Messages);
