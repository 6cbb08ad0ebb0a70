using System.Net.Http.Headers;
using MemberCare.Domain.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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

    private TestApp(DatabaseProvider provider, string? connectionString, IDictionary<string, string?>? settings)
    {
        _provider = provider;
        _connectionString = connectionString;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public DatabaseProvider Provider => _provider;

    public static TestApp Sqlite(IDictionary<string, string?>? settings = null) => new(DatabaseProvider.Sqlite, null, settings);

    public static TestApp Postgres(string connectionString, IDictionary<string, string?>? settings = null) =>
        new(DatabaseProvider.Postgres, connectionString, settings);

    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public async Task<MemberCareDb> OpenDbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().CreateDbContextAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", _provider.ToString());
        builder.UseSetting("Database:DataFolder", _dataFolder);
        builder.UseSetting("Database:ConnectionString", _connectionString ?? "");
        builder.UseSetting("Demo:SeedOnFirstStart", "false");
        builder.UseSetting("Api:Keys:0", ApiKey);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
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
