using System.Net.Http.Headers;
using MemberCare.Domain.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.BrowserTests;

/// <summary>The real application on a real loopback port (Kestrel), on its own SQLite database, for a real browser.</summary>
public sealed class BrowserApp : WebApplicationFactory<Program>
{
    public const string ApiKey = "browser-test-key-0123456789";
    public const string AdminPassword = "first-start-password-42";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "membercare-browser", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;

    public BrowserApp(IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        UseKestrel(0);
    }

    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development serves the static web assets (blazor.web.js, MudBlazor) from the build, as 'dotnet run' does.
        builder.UseEnvironment("Development");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Database:Provider", nameof(DatabaseProvider.Sqlite));
        builder.UseSetting("Database:DataFolder", _dataFolder);
        builder.UseSetting("Demo:SeedOnFirstStart", "false");
        // The journeys hand off by hand; the default rules would hand the same complaints off first.
        builder.UseSetting("Routing:DefaultHandoffRulesEnabled", "false");
        builder.UseSetting("Api:Keys:0", ApiKey);
        builder.UseSetting("Staff:AdminPassword", AdminPassword);
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
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a file still open: the temp folder's cleanup takes it.
        }
        GC.SuppressFinalize(this);
    }
}
