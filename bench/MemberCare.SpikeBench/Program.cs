using System.Diagnostics;
using System.Globalization;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using MemberCare.Features.Spikes;
using MemberCare.Hosting;
using MemberCare.Tests.Spikes;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Spike detection at a sustained message rate: detection latency (tipping message committed -> proposed alert
// readable) over several injected spikes, and detection's CPU, in alternating phases with detection off and on in one
// run; then the false-alarm rate over a simulated month of steady Poisson traffic.
// dotnet run -c Release --project bench/MemberCare.SpikeBench -- [--rate 1000] [--phase 20] [--pairs 3] [--month-rate 60]
//   [--days 30] [--batch 5000] [--text true|false] [--skip-live] [--skip-month] [--profile] [--provider sqlite|postgres --connection <cs>]
var rate = int.Parse(Option("--rate") ?? "1000", CultureInfo.InvariantCulture);
var phase = double.Parse(Option("--phase") ?? "20", CultureInfo.InvariantCulture);
var pairs = int.Parse(Option("--pairs") ?? "3", CultureInfo.InvariantCulture);
var monthRate = double.Parse(Option("--month-rate") ?? "60", CultureInfo.InvariantCulture);
var days = int.Parse(Option("--days") ?? "30", CultureInfo.InvariantCulture);
var provider = Option("--provider") ?? "sqlite";
var connection = Option("--connection") ?? "";
Console.WriteLine($"MemberCare spike bench · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {provider} · load average {LoadAverage()}");

var batch = Option("--batch") ?? "5000";
// Varied real-world texts (the project's care messages, Bitext, clothing reviews, NoReC), read from the corpora now.
var texts = CareTexts.Load();
Console.WriteLine($"texts: {texts.Sentences:N0} sentences from the corpora");
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
    // Weeks compressed into minutes: 20-second windows (1.7-second slices), a 3-minute half-life and a warm-up of four
    // whole windows let baselines settle before spikes are injected. A batch touches one or two slices, as with hour
    // windows; a window closes every 20 s rather than every hour, so the baselines' share of the cost is larger here.
    var clock = TimeProvider.System;
    await using var app = Host(clock, "00:00:20", "00:03:00", warmUp: "00:01:40");
    var services = app.Services;
    var dbFactory = services.GetRequiredService<IDbContextFactory<MemberCareDb>>();
    var detector = services.GetRequiredService<SpikeDetector>();
    var writer = new Writer(dbFactory, new Random(11), texts);
    await writer.PrepareAsync();

    // The detector ticks every second on its own thread, as its hosted loop does; SQLite's async calls complete
    // synchronously, so the thread's own CPU time (schedstat) is the detection's CPU.
    using var stop = new CancellationTokenSource();
    var detecting = false;
    long detectorCpuNs = 0, detected = 0;
    var detectorThread = new Thread(() =>
    {
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            next += Stopwatch.Frequency;
            if (Volatile.Read(ref detecting))
            {
                var cpu0 = ThreadCpuNs();
                try
                {
                    var pass = detector.RunOnceAsync(stop.Token).GetAwaiter().GetResult();
                    Interlocked.Add(ref detected, pass.Messages);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                Interlocked.Add(ref detectorCpuNs, ThreadCpuNs() - cpu0);
            }
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                stop.Token.WaitHandle.WaitOne(wait);
            }
        }
    })
    { IsBackground = true, Name = "spike detector" };
    detectorThread.Start();

    var process = Process.GetCurrentProcess();
    var spikeNumber = 0;
    var spikeMessages = new HashSet<long>();
    async Task<Phase> RunPhaseAsync(bool detection, double phaseSeconds, List<(bool Text, double Ms)>? latencies)
    {
        Volatile.Write(ref detecting, detection);
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var written0 = writer.Written;
        var detectorCpu0 = Interlocked.Read(ref detectorCpuNs);
        var detected0 = Interlocked.Read(ref detected);
        var watch = Stopwatch.StartNew();
        // Spikes start once the detector has caught up with what was written while it was off.
        var nextSpike = 6.0;
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
            if (latencies is not null && watch.Elapsed.TotalSeconds >= nextSpike && nextSpike + 3 < phaseSeconds)
            {
                nextSpike = watch.Elapsed.TotalSeconds + 6;
                // Alternately a SKU spike (5 damage reports on a new SKU) and a text cluster no label names (5 customers
                // sending the same new text under a concern, no SKU): the 5th message tips it.
                var text = ++spikeNumber % 2 == 0;
                var sku = $"SPIKE-{spikeNumber}-{Guid.NewGuid().ToString("N")[..6]}";
                var (ids, stored) = text ? await writer.WriteTextSpikeAsync(5) : await writer.WriteSpikeAsync(sku, 5);
                spikeMessages.UnionWith(ids);
                var latency = await WaitForAlertAsync(dbFactory, text ? null : sku, ids[^1], stored, async () =>
                {
                    var late = (long)(watch.Elapsed.TotalSeconds * rate) - (writer.Written - written0);
                    if (late >= rate / 20)
                    {
                        await writer.WriteBackgroundAsync((int)Math.Min(late, rate));
                    }
                });
                latencies.Add((text, latency));
            }
        }
        process.Refresh();
        return new Phase(detection, (process.TotalProcessorTime - cpu0).TotalSeconds, writer.Written - written0, watch.Elapsed.TotalSeconds,
            (Interlocked.Read(ref detectorCpuNs) - detectorCpu0) / 1e9, Interlocked.Read(ref detected) - detected0);
    }

    await RunPhaseAsync(false, 5, null);
    Volatile.Write(ref detecting, true);
    // The first pass reads everything written so far and the warm-up (100 s of observation) must pass before alerts.
    await RunPhaseAsync(true, 105, null);
    var phases = new List<Phase>();
    var latencies = new List<(bool Text, double Ms)>();
    for (var i = 0; i < pairs; i++)
    {
        phases.Add(await RunPhaseAsync(false, phase, null));
        phases.Add(await RunPhaseAsync(true, phase, latencies));
    }
    await stop.CancelAsync();
    detectorThread.Join();

    Console.WriteLine($"live: target {rate} messages/s, batch {batch}, text clusters {text}, windows 20 s, detector tick 1 s, {pairs} pairs of {phase:F0} s phases");
    Console.WriteLine("phase      | written/s | process CPU (cores) | detector CPU (cores) | detector messages | detector CPU-ms per 1,000");
    foreach (var p in phases)
    {
        Console.WriteLine($"{(p.Detection ? "detect on " : "detect off")} | {p.Written / p.Elapsed,9:F0} | {p.Cpu / p.Elapsed,19:F3} | {p.DetectorCpu / p.Elapsed,20:F3} | {p.Detected,17:N0} | {(p.Detected == 0 ? double.NaN : p.DetectorCpu * 1e6 / p.Detected),10:F1}");
    }
    var on = phases.Where(p => p.Detection).ToList();
    var off = phases.Where(p => !p.Detection).ToList();
    // Each on phase also counts what was written in the off phase before it, so its cost is spread over both.
    var differences = on.Select((p, i) => ((p.Cpu / p.Elapsed) - (off[i].Cpu / off[i].Elapsed)) * p.Elapsed * 1e3 / (p.Written + off[i].Written) * 1e3).ToList();
    var direct = Median(on.Select(p => p.DetectorCpu * 1e6 / Math.Max(1, p.Detected)));
    Console.WriteLine($"writes that waited past the busy timeout: {writer.LockTimeouts}");
    Console.WriteLine($"written: median {Median(off.Select(p => p.Written / p.Elapsed)):F0} messages/s with detection off, {Median(on.Select(p => p.Written / p.Elapsed)):F0} with it on");
    Console.WriteLine($"detection CPU: median {direct:F1} CPU-ms per 1,000 messages on the detector's thread = {direct * rate / 1e6 * 100:F1}% of one core at {rate}/s; " +
        $"process CPU on minus off, spread over both phases' messages: median {Median(differences):F1} CPU-ms per 1,000");
    foreach (var (kind, isText) in new[] { ("SKU", false), ("text", true) })
    {
        var ms = latencies.Where(l => l.Text == isText).Select(l => l.Ms).Order().ToList();
        Console.WriteLine($"latency, {kind} spikes, tipping message committed to alert readable ({ms.Count} spikes, {ms.Count(double.IsFinite)} found within 30 s): " +
            $"median {Median(ms):F0} ms, max {ms.LastOrDefault():F0} ms, all: {string.Join(", ", ms.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))}");
    }
    await using var db = await dbFactory.CreateDbContextAsync();
    var alerts = await db.SpikeAlerts.Select(a => new { a.Signature, a.Label, a.Count, a.Expected, Ids = a.Messages.Select(m => m.MessageId).ToList() }).ToListAsync();
    var injected = alerts.Where(a => a.Signature.Contains("SPIKE-", StringComparison.Ordinal) || a.Ids.Any(spikeMessages.Contains)).ToList();
    Console.WriteLine($"alerts: {alerts.Count} ({injected.Count} on injected spikes, {injected.Count(a => a.Signature.Contains("|text:", StringComparison.Ordinal))} of them text clusters); " +
        $"slice rows kept {await db.SpikeBuckets.CountAsync():N0} ({await db.SpikeBuckets.CountAsync(b => b.Signature.Contains("|text:"))} text), text pre-filter rows {await db.SpikeTextBands.CountAsync():N0}, " +
        $"baselines {await db.SpikeBaselines.CountAsync():N0}; load average {LoadAverage()}");
    foreach (var a in alerts.Except(injected))
    {
        Console.WriteLine($"  not injected: {a.Label} ({a.Signature}): {a.Count} against {a.Expected:F1} usual");
    }
}

async Task MonthAsync()
{
    var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
    await using var app = Host(clock, "01:00:00", "7.00:00:00", warmUp: "1.00:00:00");
    var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>();
    var detector = app.Services.GetRequiredService<SpikeDetector>();
    var writer = new Writer(dbFactory, new Random(29), texts);
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
    var busy = await db.SpikeBaselines.CountAsync(b => b.LastSeenAt > clock.GetUtcNow().AddDays(-7));
    var alerts = await db.SpikeAlerts.Select(a => new { a.Label, a.Count, a.Expected }).ToListAsync();
    Console.WriteLine($"month: {days} days after a 1-day warm-up, {writer.Written:N0} messages ({monthRate}/h steady Poisson, 8 concerns, 150 SKUs, page areas, text bands), simulated in {watch.Elapsed.TotalSeconds:F0} s");
    Console.WriteLine($"false alarms: {alerts.Count} in the month ({alerts.Count / (double)days * 30:F2} per 30 days) over {signatures:N0} signatures ({busy:N0} seen in the last week): {alerts.Count / (double)signatures:E2} per signature-month");
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
        "--Logging:LogLevel:MemberCare.Features.Spikes", args.Contains("--profile") ? "Debug" : "Warning",
    ]);
    builder.Services.AddSingleton(clock);
    var app = MemberCareApp.Build(builder);
    app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    return app;
}

// A SKU spike's alert is on its SKU; a text spike's is any text alert linking its tipping message.
static async Task<double> WaitForAlertAsync(IDbContextFactory<MemberCareDb> dbFactory, string? sku, long tippingId, long storedAtTicks, Func<Task> keepWriting)
{
    var signature = sku is null ? null : $"damaged_item|sku:{sku.ToUpperInvariant()}";
    while (true)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (signature is not null
            ? await db.SpikeAlerts.AnyAsync(a => a.Signature == signature)
            : await db.SpikeAlerts.AnyAsync(a => a.Signature.Contains("|text:") && a.Messages.Any(m => m.MessageId == tippingId)))
        {
            return Stopwatch.GetElapsedTime(storedAtTicks).TotalMilliseconds;
        }
        if (Stopwatch.GetElapsedTime(storedAtTicks) > TimeSpan.FromSeconds(30))
        {
            return double.PositiveInfinity;
        }
        await keepWriting();
        await Task.Delay(10);
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Nanoseconds this thread has run on a CPU (Linux scheduler statistics).
static long ThreadCpuNs() => long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Writes triaged inbound messages straight to the database, as intake and triage would leave them.</summary>
internal sealed class Writer(IDbContextFactory<MemberCareDb> dbFactory, Random random, CareTexts texts)
{
    private static readonly string[] s_concerns = ["where_is_my_order", "damaged_item", "wrong_or_missing_item", "sizing_fit", "return_refund", "website_app", "payment_billing", "product_quality"];
    private static readonly double[] s_weights = [0.3, 0.1, 0.08, 0.12, 0.2, 0.06, 0.06, 0.08];
    private long _customerId;
    private long _next;

    public long Written;
    public long LockTimeouts;

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

    /// <summary>Messages on a new SKU, the first four then the tipping one; their ids and when the last was committed (Stopwatch).</summary>
    public async Task<(List<long> Ids, long Stored)> WriteSpikeAsync(string sku, int count)
    {
        var now = TimeProvider.System.GetUtcNow();
        var ids = await WriteAsync([.. Enumerable.Range(0, count - 1).Select(i => (now, "damaged_item", $"the sole came off my new shoes {sku} after a day", (string?)sku))]);
        ids.AddRange(await WriteAsync([(TimeProvider.System.GetUtcNow(), "damaged_item", $"the sole came off my new shoes {sku} after a day", (string?)sku)]));
        return (ids, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// A text cluster: customers sending the same new complaint (two corpus sentences no earlier message put together,
    /// with their own order numbers) under one concern, no SKU; the first four, then the tipping one.
    /// </summary>
    public async Task<(List<long> Ids, long Stored)> WriteTextSpikeAsync(int count)
    {
        var concern = Pick();
        var text = $"{texts.Message(concern, random)} {texts.Message(concern, random)}";
        var now = TimeProvider.System.GetUtcNow();
        var ids = await WriteAsync([.. Enumerable.Range(0, count - 1).Select(i => (now, concern, $"{text} order {random.Next(10_000, 99_999)}", (string?)null))]);
        ids.AddRange(await WriteAsync([(TimeProvider.System.GetUtcNow(), concern, $"{text} order {random.Next(10_000, 99_999)}", (string?)null)]));
        return (ids, Stopwatch.GetTimestamp());
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
        var text = texts.Message(concern, random);
        return (at, concern, sku is null ? text : $"{text} {sku}", sku);
    }

    private async Task<List<long>> WriteAsync(List<(DateTimeOffset At, string Concern, string Text, string? Sku)> messages)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var stored = new List<Message>();
        foreach (var (at, concern, text, sku) in messages)
        {
            var n = Interlocked.Increment(ref _next);
            var conversation = Conversation.Start(_customerId, Channel.Email, $"bench-{n}", null, at);
            var message = conversation.ReceiveInbound($"bench-{n}", text, at, null, null, at);
            var entities = sku is null ? """{"orderNumbers":[],"skus":[]}""" : $$"""{"orderNumbers":[],"skus":["{{sku}}"]}""";
            message.RecordTriage(new MessageTriage(concern, 0.9, "negative", "en", "normal", entities, "warehouse", "bench"), at);
            db.Conversations.Add(conversation);
            stored.Add(message);
        }
        // On a starved machine a write can wait past SQLite's 30-second busy timeout; the bench counts it and goes on.
        try
        {
            await db.SaveChangesAsync();
            Interlocked.Add(ref Written, messages.Count);
        }
        catch (DbUpdateException)
        {
            Interlocked.Increment(ref LockTimeouts);
        }
        return [.. stored.Select(m => m.Id)];
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

internal sealed record Phase(bool Detection, double Cpu, long Written, double Elapsed, double DetectorCpu, long Detected);

internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
