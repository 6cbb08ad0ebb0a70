using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Delivery;

/// <summary>
/// The real executable delivers a burst of webhooks to a receiver that fails now and then, and is killed with
/// SIGKILL part-way; a restarted process must deliver every message, duplicates only under the same webhook id.
/// </summary>
public abstract class OutboxKillSpec
{
    private const int Burst = 200;
    private const int KillAfterReceived = 50;
    private const string Key = "delivery-kill-key-7a2e";

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_the_process_mid_delivery_loses_no_message()
    {
        var database = await DatabaseAsync();
        var killed = new TaskCompletionSource();
        await using var receiver = await LoopbackReceiver.StartAsync(async (r, response) =>
        {
            if (r.Number >= KillAfterReceived)
            {
                killed.TrySetResult();
            }
            await Task.Delay(30);
            await LoopbackReceiver.Status(response, r.Number % 6 == 0 ? 500 : 200);
        });
        string[] arguments =
        [
            .. database.Arguments, "--Api:Keys:0", Key,
            "--Delivery:PollInterval", "00:00:00.100", "--Delivery:Lease", "00:00:03", "--Delivery:RequestTimeout", "00:00:02",
            "--Delivery:Parallelism", "4", "--Delivery:BatchSize", "20",
            "--Delivery:Retry:FirstDelay", "00:00:00.200", "--Delivery:Retry:MaxDelay", "00:00:01", "--Delivery:Retry:GiveUpAfter", "00:05:00",
            "--Delivery:AllowedHosts:0", "127.0.0.1",
        ];

        long targetId;
        string secret;
        Dictionary<string, string> sent;
        int deliveredBeforeKill;
        await using (var server = await MemberCareProcess.StartAsync(arguments, Ct))
        {
            using var client = Client(server.BaseAddress);
            using (var created = await client.PostAsync("/api/v1/delivery/targets", Api.JsonBody(
                new JsonObject { ["name"] = "Warehouse system", ["kind"] = "webhook", ["address"] = receiver.BaseAddress.AbsoluteUri }.ToJsonString()), Ct))
            {
                var body = await created.Content.ReadAsStringAsync(Ct);
                Assert.True(created.StatusCode == HttpStatusCode.Created, body);
                var saved = JsonNode.Parse(body)!;
                targetId = (long)saved["target"]!["id"]!;
                secret = (string)saved["newSecret"]!;
            }
            await using (var db = Open(database.Options))
            {
                var rows = Enumerable.Range(0, Burst).Select(i => new OutboxMessage(targetId, "handoff.requested", $"Sak {i}",
                    JsonSerializer.Serialize(new { n = i, text = "Kunden fikk feil størrelse" }), TimeProvider.System.GetUtcNow())).ToList();
                db.Outbox.AddRange(rows);
                await db.SaveChangesAsync(Ct);
                sent = rows.ToDictionary(r => r.WebhookId, r => r.Body);
            }
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            server.Kill();
            await server.WaitForExitAsync(Ct);
        }
        await using (var db = Open(database.Options))
        {
            deliveredBeforeKill = await db.Outbox.CountAsync(m => m.TargetId == targetId && m.Status == OutboxStatus.Delivered, Ct);
            var claimed = await db.Outbox.CountAsync(m => m.TargetId == targetId && m.ClaimToken != null, Ct);
            Assert.True(deliveredBeforeKill < Burst, "Everything was delivered before the kill; the test proves nothing.");
            TestContext.Current.SendDiagnosticMessage(
                $"{GetType().Name}: {deliveredBeforeKill} delivered, {claimed} claimed by the killed process, {receiver.Requests.Count} requests received before SIGKILL.");
        }

        await using (var restarted = await MemberCareProcess.StartAsync(arguments, Ct))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                await using var db = Open(database.Options);
                var pending = await db.Outbox.CountAsync(m => m.TargetId == targetId && m.Status != OutboxStatus.Delivered, Ct);
                if (pending == 0)
                {
                    break;
                }
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"{pending} messages still not delivered after the restart:{Environment.NewLine}{restarted.RecentOutput}");
                await Task.Delay(200, Ct);
            }
        }

        var received = receiver.Requests.ToList();
        Assert.All(received, r => DeliverySpec.AssertSigned(r, secret));
        var byId = received.GroupBy(r => r.Header("webhook-id")!).ToDictionary(g => g.Key, g => g.ToList());
        var lost = sent.Keys.Where(id => !byId.ContainsKey(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} messages never arrived.");
        Assert.Empty(byId.Keys.Except(sent.Keys));
        Assert.All(byId, g => Assert.All(g.Value, r => Assert.Equal(sent[g.Key], r.Body)));
        TestContext.Current.SendDiagnosticMessage(
            $"{GetType().Name}: {Burst} messages, {received.Count} requests, {byId.Count(g => g.Value.Count > 1)} ids received more than once.");
    }

    /// <summary>The server's database arguments, and the options that open the same database from the test.</summary>
    protected abstract Task<(string[] Arguments, DatabaseOptions Options)> DatabaseAsync();

    private static HttpClient Client(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
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
public sealed class SqliteOutboxKillSpec : OutboxKillSpec, IDisposable
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
public sealed class PostgresOutboxKillSpec(PostgresCluster cluster) : OutboxKillSpec, IAsyncDisposable
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
