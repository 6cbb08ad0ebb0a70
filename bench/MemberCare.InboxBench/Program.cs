using System.Diagnostics;
using System.Globalization;
using MemberCare.Domain.Storage;
using MemberCare.Features.Inbox;
using MemberCare.Features.Search;
using MemberCare.Features.Workspace;
using MemberCare.Hosting;
using MemberCare.InboxBench;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Usage: membercare-inboxbench --provider sqlite|postgres [--connection <cs>] [--data <folder>] [--conversations 1000000] [--iterations 200] [--reuse]
var options = BenchOptions.Parse(args);
var settings = new List<string>
{
    "--Database:Provider", options.Provider.ToString(),
    "--Database:DataFolder", options.DataFolder,
    "--Database:ConnectionString", options.ConnectionString ?? "",
    "--Demo:SeedOnFirstStart", "false",
    "--Logging:LogLevel:Default", "Warning",
    "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning",
};
await using var app = MemberCareApp.Build(MemberCareApp.CreateBuilder([.. settings]));
var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>();
await dbFactory.MigrateAsync(CancellationToken.None);

await using (var db = await dbFactory.CreateDbContextAsync())
{
    var existing = await db.Conversations.CountAsync();
    if (existing < options.Conversations || !options.Reuse)
    {
        if (existing > 0)
        {
            throw new InvalidOperationException($"The database already holds {existing} conversations; start from an empty one or pass --reuse.");
        }
        var load = Stopwatch.StartNew();
        await new BulkLoad(options).RunAsync(db);
        Console.WriteLine($"Loaded {options.Conversations:N0} conversations and {options.Conversations:N0} messages in {load.Elapsed.TotalSeconds:N0} s");
    }
}

var inbox = app.Services.GetRequiredService<InboxQuery>();
var views = app.Services.GetRequiredService<InboxViews>();
var search = app.Services.GetRequiredService<IMessageSearch>();
var agent = new InboxViewer(BulkLoad.AgentId(7), null);

string? deepCursor = null;
var deep = new InboxFilter(Status: "all", Sort: "newest");
for (var i = 0; i < 50; i++)
{
    deepCursor = (await inbox.PageAsync(deep with { After = deepCursor }, agent, CancellationToken.None)).NextCursor;
}

var scenarios = new (string Name, Func<Task<int>> Run)[]
{
    ("inbox, first page: active, by SLA due (default view)", async () => (await inbox.PageAsync(new InboxFilter(), agent, CancellationToken.None)).Rows.Count),
    ("inbox, first page: all statuses, newest", async () => (await inbox.PageAsync(new InboxFilter(Status: "all", Sort: "newest"), agent, CancellationToken.None)).Rows.Count),
    ("inbox, first page: active, by priority", async () => (await inbox.PageAsync(new InboxFilter(Sort: "priority"), agent, CancellationToken.None)).Rows.Count),
    ("inbox, first page: assigned to me, by SLA due", async () => (await inbox.PageAsync(new InboxFilter(Assigned: "me"), agent, CancellationToken.None)).Rows.Count),
    ("inbox, first page: Instagram, all statuses, newest", async () => (await inbox.PageAsync(new InboxFilter(Status: "all", Channel: "instagram", Sort: "newest"), agent, CancellationToken.None)).Rows.Count),
    ("inbox, first page: breaching soon", async () => (await inbox.PageAsync(new InboxFilter(Sla: "soon"), agent, CancellationToken.None)).Rows.Count),
    ("inbox, page 51 by cursor: all statuses, newest", async () => (await inbox.PageAsync(deep with { After = deepCursor }, agent, CancellationToken.None)).Rows.Count),
    ("inbox, counts of the 5 built-in views (capped at 1000)", async () => (await views.CountsAsync(agent, CancellationToken.None)).Count),
    ("search: 'linen' (1 in 12 messages)", async () => (await search.SearchAsync("linen", 20, CancellationToken.None)).Count),
    ("search: 'størrelse' (Norwegian, common)", async () => (await search.SearchAsync("størrelse", 20, CancellationToken.None)).Count),
    ("search: 'størr*' (a typed prefix of a common word)", async () => (await search.SearchAsync("størr*", 20, CancellationToken.None)).Count),
    ("search: 'wrong size' (two words)", async () => (await search.SearchAsync("wrong size", 20, CancellationToken.None)).Count),
    ($"search: an order number ('{BulkLoad.OrderNumber(424_242)}', rare)", async () => (await search.SearchAsync(BulkLoad.OrderNumber(424_242), 20, CancellationToken.None)).Count),
    ("search: 'zzzz' (no match)", async () => (await search.SearchAsync("zzzz", 20, CancellationToken.None)).Count),
};

Console.WriteLine();
Console.WriteLine($"{options.Provider}, {options.Conversations:N0} conversations / messages, {options.Iterations} timed runs each after {options.Warmup} warm-up runs");
Console.WriteLine();
Console.WriteLine("| what | rows | p50 ms | p95 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, run) in scenarios)
{
    var rows = 0;
    for (var i = 0; i < options.Warmup; i++)
    {
        rows = await run();
    }
    var times = new double[options.Iterations];
    for (var i = 0; i < options.Iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        rows = await run();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {rows} | {Percentile(times, 0.50):F1} | {Percentile(times, 0.95):F1} | {times[^1]:F1} |"));
}
// The live-update seam: publish to receive through the feed this provider uses (PostgreSQL: NOTIFY to LISTEN).
var feedHost = app.Services.GetRequiredService<PostgresWorkspaceFeed>();
await feedHost.StartAsync(CancellationToken.None);
var feed = app.Services.GetRequiredService<IWorkspaceFeed>();
var received = System.Threading.Channels.Channel.CreateUnbounded<long>();
using (feed.Subscribe(e => received.Writer.WriteAsync(e.ConversationId).AsTask()))
{
    await Task.Delay(500);
    var latencies = new double[options.Iterations];
    for (var i = 0; i < options.Iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.MessageAdded, i)]);
        while (await received.Reader.ReadAsync() != i)
        {
        }
        latencies[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(latencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| feed: publish to delivery ({feed.GetType().Name}) | 1 | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.95):F1} | {latencies[^1]:F1} |"));
}
await feedHost.StopAsync(CancellationToken.None);
return 0;

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
