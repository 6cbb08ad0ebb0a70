using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MemberCare.Domain;
using MemberCare.Domain.Storage;
using MemberCare.Features.Conversations;
using MemberCare.Features.Intake;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Durability;

/// <summary>
/// A 2xx from intake means the message is committed. The real executable takes a burst from many clients
/// and is killed with SIGKILL part-way; every acknowledged message must then be in the database, once.
/// </summary>
public abstract class KillDuringBurstSpec
{
    private const int Burst = 3000;
    private const int Clients = 32;
    private const int KillAfterAcknowledged = Burst / 3;
    private const string Key = "durability-key-5f1c";

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_the_process_mid_burst_loses_no_acknowledged_message()
    {
        var database = await DatabaseAsync();
        var run = Api.Unique("kill");
        var acknowledged = new ConcurrentDictionary<string, PostMessageResponse>();
        var failedAfterKill = 0;
        var killed = 0;

        await using (var server = await MemberCareProcess.StartAsync([.. database.Arguments, "--Api:Keys:0", Key], Ct))
        {
            using var client = Client(server.BaseAddress);
            var next = -1;
            async Task SendUntilKilledAsync()
            {
                while (Interlocked.Increment(ref next) is var i && i < Burst && Volatile.Read(ref killed) == 0)
                {
                    var externalId = $"{run}-{i:D5}";
                    var message = Api.Message(externalId, $"Melding {i}: pakken kom uten beltet.", channel: "chat", handle: $"{run}-customer{i % 97}");
                    try
                    {
                        using var response = await client.PostMessageAsync(message);
                        Assert.True(response.IsSuccessStatusCode || Volatile.Read(ref killed) == 1,
                            $"{(int)response.StatusCode} before the kill: {await response.Content.ReadAsStringAsync(Ct)}");
                        if (!response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref failedAfterKill);
                            continue;
                        }
                        var ids = await response.Content.ReadFromJsonAsync<PostMessageResponse>(Api.Json, Ct);
                        acknowledged[externalId] = ids!;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && Volatile.Read(ref killed) == 1)
                    {
                        // In flight when the process died: never acknowledged, so the sender would retry.
                        Interlocked.Increment(ref failedAfterKill);
                        continue;
                    }
                    if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        server.Kill();
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(SendUntilKilledAsync, Ct)));
            Assert.True(killed == 1, $"The burst ended before the kill: {acknowledged.Count} acknowledged.");
            await server.WaitForExitAsync(Ct);
        }

        TestContext.Current.SendDiagnosticMessage(
            $"{GetType().Name}: {acknowledged.Count} acknowledged before SIGKILL, {failedAfterKill} in flight or refused after it, of {Burst}.");
        Assert.InRange(acknowledged.Count, KillAfterAcknowledged, Burst - 1);

        await using (var db = Open(database.Options))
        {
            var stored = await db.Messages.AsNoTracking()
                .Where(m => m.Channel == Channel.Chat && m.ExternalId!.StartsWith(run))
                .Select(m => new { m.ExternalId, m.Id, m.ConversationId })
                .ToListAsync(Ct);
            var byExternalId = stored.GroupBy(m => m.ExternalId!).ToDictionary(g => g.Key, g => g.ToList());
            var lost = acknowledged.Keys.Where(id => !byExternalId.ContainsKey(id)).Order().ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged messages were lost, e.g. {string.Join(", ", lost.Take(5))}.");
            Assert.All(byExternalId, g => Assert.Single(g.Value));
            Assert.All(acknowledged, a =>
            {
                var row = byExternalId[a.Key][0];
                Assert.Equal((a.Value.MessageId, a.Value.ConversationId), (row.Id, row.ConversationId));
            });
        }

        // The killed server's files or tables also bring the next start up cleanly, with the messages in place.
        await using var restarted = await MemberCareProcess.StartAsync([.. database.Arguments, "--Api:Keys:0", Key], Ct);
        using var reader = Client(restarted.BaseAddress);
        var (lastId, last) = acknowledged.MaxBy(a => a.Value.MessageId);
        var detail = await reader.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{last.ConversationId}");
        Assert.Contains(detail.Messages, m => m.Id == last.MessageId && m.ExternalId == lastId);
    }

    /// <summary>The server's database arguments, and the options that open the same database from the test.</summary>
    protected abstract Task<(string[] Arguments, DatabaseOptions Options)> DatabaseAsync();

    private static HttpClient Client(Uri baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static MemberCareDb Open(DatabaseOptions options)
    {
        var builder = new DbContextOptionsBuilder<MemberCareDb>();
        Database.Configure(builder, options);
        return new MemberCareDb(builder.Options);
    }
}

[Collection(nameof(RunsAlone))]
public sealed class SqliteKillDuringBurstSpec : KillDuringBurstSpec, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));

    protected override Task<(string[] Arguments, DatabaseOptions Options)> DatabaseAsync() => Task.FromResult<(string[], DatabaseOptions)>((
        ["--Database:Provider", "Sqlite", "--Database:DataFolder", _folder],
        new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataFolder = _folder }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

[Collection(nameof(RunsAlone))]
public sealed class PostgresKillDuringBurstSpec(PostgresCluster cluster) : KillDuringBurstSpec, IAsyncDisposable
{
    private string? _connectionString;

    protected override async Task<(string[] Arguments, DatabaseOptions Options)> DatabaseAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync(Ct);
        return (
            ["--Database:Provider", "Postgres", "--Database:ConnectionString", _connectionString],
            new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _connectionString });
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await cluster.DropDatabaseAsync(_connectionString);
        }
    }
}
