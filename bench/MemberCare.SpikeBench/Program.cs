using System.Diagnostics;
using System.Globalization;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using MemberCare.Features.Spikes;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Spike detection: latency (message stored to alert visible) and CPU at a steady message rate, then the false-alarm
// rate over a simulated month of steady Poisson traffic.
// dotnet run -c Release --project bench/MemberCare.SpikeBench -- [--rate 1000] [--seconds 60] [--month-rate 60] [--days 30]
//   [--batch 1000] [--text true|false] [--skip-live] [--skip-month] [--provider sqlite|postgres --connection <cs>]
var rate = int.Parse(Option("--rate") ?? "1000", CultureInfo.InvariantCulture);
var seconds = int.Parse(Option("--seconds") ?? "60", CultureInfo.InvariantCulture);
var monthRate = double.Parse(Option("--month-rate") ?? "60", CultureInfo.InvariantCulture);
var days = int.Parse(Option("--days") ?? "30", CultureInfo.InvariantCulture);
var provider = Option("--provider") ?? "sqlite";
var connection = Option("--connection") ?? "";
Console.WriteLine($"MemberCare spike bench · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {provider}");

var batch = Option("--batch") ?? "1000";
var text = Option("--text") ?? "true";
if (!args.Contains("--skip-live"))
{
    await LiveAsync();
}
if (!args.Contains("--skip-month"))
{
    await MonthAsync();
}
return;

async Task LiveAsync()
{
    // Weeks compressed into a minute: 10-second windows and a 2-minute half-life let baselines settle during the
    // warm-up; the work per message (signatures, baselines, hits, window counts) is the same as with hour windows.
    var clock = TimeProvider.System;
    await using var app = Host(clock, "00:00:10", "00:02:00", warmUp: "00:00:20");
    var services = app.Services;
    var dbFactory = services.GetRequiredService<IDbContextFactory<MemberCareDb>>();
    var detector = services.GetRequiredService<SpikeDetector>();
    var writer = new Writer(dbFactory, new Random(11));
    await writer.PrepareAsync();

    using var stop = new CancellationTokenSource();
    var detecting = false;
    var detections = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                if (Volatile.Read(ref detecting))
                {
                    await detector.RunOnceAsync(stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    var process = Process.GetCurrentProcess();
    async Task<(double Cpu, long Written, double Elapsed)> RunPhaseAsync(double phaseSeconds, List<double>? latencies)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var written0 = writer.Written;
        var watch = Stopwatch.StartNew();
        var nextSpike = 5.0;
        var spikeNumber = 0;
        while (watch.Elapsed.TotalSeconds < phaseSeconds)
        {
            var due = (long)(watch.Elapsed.TotalSeconds * rate) - (writer.Written - written0);
            if (due >= rate / 20)
            {
                await writer.WriteBackgroundAsync((int)Math.Min(due, rate));
            }
            else
            {
                await Task.Delay(5);
            }
            if (latencies is not null && watch.Elapsed.TotalSeconds >= nextSpike && nextSpike + 5 < phaseSeconds)
            {
                nextSpike += 10;
                var sku = $"SPIKE-{++spikeNumber}-{Guid.NewGuid().ToString("N")[..6]}";
                await writer.WriteSpikeAsync(sku, 4);
                var stored = await writer.WriteSpikeAsync(sku, 1);
                latencies.Add(await WaitForAlertAsync(dbFactory, sku, stored));
            }
        }
        process.Refresh();
        return ((process.TotalProcessorTime - cpu0).TotalSeconds, writer.Written - written0, watch.Elapsed.TotalSeconds);
    }

    await RunPhaseAsync(5, null);
    var (cpuOff, writtenOff, elapsedOff) = await RunPhaseAsync(seconds / 2.0, null);
    Volatile.Write(ref detecting, true);
    await RunPhaseAsync(30, null);
    var latencies = new List<double>();
    var (cpuOn, writtenOn, elapsedOn) = await RunPhaseAsync(seconds, latencies);
    await stop.CancelAsync();
    await detections;

    var rateOff = writtenOff / elapsedOff;
    var rateOn = writtenOn / elapsedOn;
    var cores = (cpuOn / elapsedOn) - (cpuOff / elapsedOff);
    latencies.Sort();
    Console.WriteLine($"batch {batch}, text clusters {text}");
    Console.WriteLine($"live: writing {rateOff:F0} messages/s without detection, {rateOn:F0} with (target {rate}); windows 10 s, detector tick 1 s");
    Console.WriteLine($"process CPU: {cpuOff / elapsedOff:F2} cores writing only, {cpuOn / elapsedOn:F2} cores writing and detecting; detection costs {cores:F2} cores, {cores * 1000 / rateOn * 1000:F1} ms CPU per 1,000 messages");
    Console.WriteLine($"latency, tipping message stored to alert visible ({latencies.Count} spikes): median {Percentile(latencies, 0.5):F0} ms, p90 {Percentile(latencies, 0.9):F0} ms, max {latencies.LastOrDefault():F0} ms");
    await using var db = await dbFactory.CreateDbContextAsync();
    var alerts = await db.SpikeAlerts.Select(a => a.Signature).ToListAsync();
    Console.WriteLine($"alerts: {alerts.Count} ({alerts.Count(a => a.Contains("SPIKE-", StringComparison.Ordinal))} on injected spikes); hits kept {await db.SpikeHits.CountAsync():N0}, baselines {await db.SpikeBaselines.CountAsync():N0}");
}

async Task MonthAsync()
{
    var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
    await using var app = Host(clock, "01:00:00", "7.00:00:00", warmUp: "1.00:00:00");
    var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>();
    var detector = app.Services.GetRequiredService<SpikeDetector>();
    var writer = new Writer(dbFactory, new Random(29));
    await writer.PrepareAsync();
    var watch = Stopwatch.StartNew();
    var end = clock.GetUtcNow().AddDays(days + 1);
    var step = TimeSpan.FromMinutes(15);
    while (clock.GetUtcNow() < end)
    {
        await writer.WritePoissonAsync(clock.GetUtcNow(), step, monthRate);
        clock.Advance(step);
        await detector.RunOnceAsync(CancellationToken.None);
    }
    await using var db = await dbFactory.CreateDbContextAsync();
    var signatures = await db.SpikeBaselines.CountAsync();
    var busy = await db.SpikeBaselines.CountAsync(b => b.Mean * 24 * 7 >= 1);
    var alerts = await db.SpikeAlerts.Select(a => new { a.Label, a.Count, a.Expected }).ToListAsync();
    Console.WriteLine($"month: {days} days after a 1-day warm-up, {writer.Written:N0} messages ({monthRate}/h steady Poisson, 8 concerns, 150 SKUs, page areas, text bands), simulated in {watch.Elapsed.TotalSeconds:F0} s");
    Console.WriteLine($"false alarms: {alerts.Count} in the month ({alerts.Count / (double)days * 30:F2} per 30 days) over {signatures:N0} signatures ({busy:N0} seen at least weekly): {alerts.Count / (double)signatures:E2} per signature-month");
    foreach (var a in alerts)
    {
        Console.WriteLine($"  {a.Label}: {a.Count} against {a.Expected:F2} usual");
    }
}

WebApplication Host(TimeProvider clock, string window, string halfLife, string warmUp)
{
    var folder = Path.Combine(Path.GetTempPath(), "membercare-spikebench", Guid.NewGuid().ToString("N"));
    var builder = MemberCareApp.CreateBuilder([
        "--Database:Provider", provider == "postgres" ? "Postgres" : "Sqlite",
        "--Database:DataFolder", folder,
        "--Database:ConnectionString", connection,
        "--Demo:SeedOnFirstStart", "false",
        "--Spikes:Enabled", "false",
        "--Spikes:Window", window,
        "--Spikes:HalfLife", halfLife,
        "--Spikes:WarmUp", warmUp,
        "--Spikes:PruneEvery", "00:00:05",
        "--Spikes:BatchSize", batch,
        "--Spikes:TextClusters", text,
        "--Logging:LogLevel:Default", "Warning",
    ]);
    builder.Services.AddSingleton(clock);
    var app = MemberCareApp.Build(builder);
    app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    return app;
}

static async Task<double> WaitForAlertAsync(IDbContextFactory<MemberCareDb> dbFactory, string sku, long storedAtTicks)
{
    var signature = $"damaged_item|sku:{sku}";
    while (true)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.SpikeAlerts.AnyAsync(a => a.Signature == signature))
        {
            return Stopwatch.GetElapsedTime(storedAtTicks).TotalMilliseconds;
        }
        if (Stopwatch.GetElapsedTime(storedAtTicks) > TimeSpan.FromSeconds(30))
        {
            return double.PositiveInfinity;
        }
        await Task.Delay(10);
    }
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Writes triaged inbound messages straight to the database, as intake and triage would leave them.</summary>
internal sealed class Writer(IDbContextFactory<MemberCareDb> dbFactory, Random random)
{
    private static readonly string[] s_concerns = ["where_is_my_order", "damaged_item", "wrong_or_missing_item", "sizing_fit", "return_refund", "website_app", "payment_billing", "product_quality"];
    private static readonly double[] s_weights = [0.3, 0.1, 0.08, 0.12, 0.2, 0.06, 0.06, 0.08];
    private static readonly string[] s_phrases =
    [
        "where is my parcel it has not arrived yet", "tracking has not moved for days", "the item arrived damaged", "I got the wrong colour",
        "the jeans are too small", "when will I get my refund", "the checkout page does not load", "my card was charged twice",
        "the fabric pilled after one wash", "hvor er pakken min", "varen kom i stykker", "jeg fikk feil størrelse",
    ];
    private static readonly string[] s_words = ["please", "thanks", "hello", "again", "today", "really", "soon", "help", "urgent", "order", "jacket", "shoes", "dress", "shirt"];

    private long _customerId;
    private long _next;

    public long Written;

    public async Task PrepareAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var customer = Customer.Create("Bench Customer", "bench@example.com", TimeProvider.System.GetUtcNow());
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        _customerId = customer.Id;
    }

    public Task WriteBackgroundAsync(int count)
    {
        var now = TimeProvider.System.GetUtcNow();
        return WriteAsync(Enumerable.Range(0, count).Select(_ => Background(now)).ToList());
    }

    /// <summary>Messages on a new SKU; returns when the last was committed, as a Stopwatch timestamp.</summary>
    public async Task<long> WriteSpikeAsync(string sku, int count)
    {
        var now = TimeProvider.System.GetUtcNow();
        await WriteAsync([.. Enumerable.Range(0, count).Select(i => (now, "damaged_item", $"the sole came off my new shoes {sku} after a day", (string?)sku))]);
        return Stopwatch.GetTimestamp();
    }

    public Task WritePoissonAsync(DateTimeOffset from, TimeSpan length, double perHour)
    {
        var n = Poisson(perHour * length.TotalHours);
        return WriteAsync([.. Enumerable.Range(0, n).Select(_ => Background(from + (length * random.NextDouble()))).OrderBy(m => m.At)]);
    }

    private (DateTimeOffset At, string Concern, string Text, string? Sku) Background(DateTimeOffset at)
    {
        var concern = Pick();
        var sku = concern is "damaged_item" or "wrong_or_missing_item" or "sizing_fit" or "product_quality" ? $"SKU-{random.Next(150)}" : null;
        var text = $"{s_words[random.Next(s_words.Length)]} {s_phrases[random.Next(s_phrases.Length)]} {s_words[random.Next(s_words.Length)]} {s_words[random.Next(s_words.Length)]}";
        return (at, concern, sku is null ? text : $"{text} {sku}", sku);
    }

    private async Task WriteAsync(List<(DateTimeOffset At, string Concern, string Text, string? Sku)> messages)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        foreach (var (at, concern, text, sku) in messages)
        {
            var n = Interlocked.Increment(ref _next);
            var conversation = Conversation.Start(_customerId, Channel.Email, $"bench-{n}", null, at);
            var message = conversation.ReceiveInbound($"bench-{n}", text, at, null, null, at);
            var entities = sku is null ? """{"orderNumbers":[],"skus":[]}""" : $$"""{"orderNumbers":[],"skus":["{{sku}}"]}""";
            message.RecordTriage(new MessageTriage(concern, 0.9, "negative", "en", "normal", entities, "warehouse", "bench"), at);
            db.Conversations.Add(conversation);
        }
        await db.SaveChangesAsync();
        Interlocked.Add(ref Written, messages.Count);
    }

    private string Pick()
    {
        var x = random.NextDouble();
        for (var i = 0; i < s_weights.Length; i++)
        {
            x -= s_weights[i];
            if (x < 0)
            {
                return s_concerns[i];
            }
        }
        return s_concerns[^1];
    }

    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var n = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            n++;
            p *= random.NextDouble();
        }
        return n;
    }
}

internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
