using System.Net;
using System.Net.Http.Json;
using MemberCare.Domain.Spikes;
using MemberCare.Features.Spikes;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Spikes;

/// <summary>Spike detection on generated streams, on the real SQLite database with the real migrations.</summary>
public sealed class SpikeDetectionTests
{
    private const string Sku = "TS-120";
    private const string Signature = "damaged_item|sku:" + Sku;
    private static readonly TimeSpan s_warm = TimeSpan.FromDays(2);

    public static Dictionary<string, string?> Manual => new()
    {
        ["Spikes:Enabled"] = "false",
        ["Triage:BackfillInterval"] = "01:00:00",
    };

    private static string Broken(int i) => $"the zip on my new jacket {Sku} broke the first time I wore it, case {i}";

    private static IEnumerable<Arrival> SpikeOf(DateTimeOffset at, int count, TimeSpan over) =>
        CareTraffic.Evenly(at, over, count, "damaged_item", Broken, Sku);

    /// <summary>Runs the spike's span in 5-second steps, as the loop's one-second ticks would see it at worst.</summary>
    private static async Task RunFineAsync(CareTraffic stream, FakeTimeProvider time, TimeSpan length, IReadOnlyList<Arrival> extra)
    {
        var until = time.GetUtcNow() + length;
        var step = TimeSpan.FromSeconds(5);
        for (var t = time.GetUtcNow(); t < until; t += step)
        {
            var from = t;
            var arrivals = stream.Background(t, step).Concat(extra.Where(a => a.At >= from && a.At < from + step));
            await stream.StepAsync(t + step, arrivals);
        }
    }

    [Fact]
    public async Task An_injected_spike_on_one_SKU_raises_one_alert_within_ten_seconds_with_its_messages_linked()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        app.CreateClient();
        var stream = new CareTraffic(app, time, seed: 1);
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromMinutes(30));
        await using (var before = await app.OpenDbAsync())
        {
            Assert.Equal(0, await before.SpikeAlerts.CountAsync(ct));
        }

        var spike = SpikeOf(time.GetUtcNow(), 15, TimeSpan.FromMinutes(10)).ToList();
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), spike);

        await using var db = await app.OpenDbAsync();
        var alert = Assert.Single(await db.SpikeAlerts.Include(a => a.Messages).ToListAsync(ct));
        Assert.Equal(Signature, alert.Signature);
        Assert.Equal(SpikeAlertStatus.Proposed, alert.Status);
        var tipping = await db.Messages.SingleAsync(m => m.Id == alert.TippingMessageId, ct);
        Assert.Contains(Sku, tipping.Text, StringComparison.Ordinal);
        Assert.InRange(alert.RaisedAt - tipping.CreatedAt, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var spikeIds = await db.Messages.Where(m => m.Text.Contains("broke the first time")).Select(m => m.Id).ToListAsync(ct);
        Assert.Equal(15, spikeIds.Count);
        Assert.Subset(alert.Messages.Select(m => m.MessageId).ToHashSet(), spikeIds.ToHashSet());
        Assert.Equal(15, alert.Count);
    }

    [Fact]
    public async Task A_steady_stream_of_the_same_total_volume_raises_no_alert()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        app.CreateClient();
        var stream = new CareTraffic(app, time, seed: 1);
        var total = s_warm + TimeSpan.FromMinutes(12);
        var steady = SpikeOf(CareTraffic.Start, 15, total).ToList();
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromMinutes(30), (t, step) => steady.Where(a => a.At >= t && a.At < t + step));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), steady);

        await using var db = await app.OpenDbAsync();
        Assert.Equal(15, await db.Messages.CountAsync(m => m.Text.Contains("broke the first time"), ct));
        Assert.Empty(await db.SpikeAlerts.Select(a => a.Label).ToListAsync(ct));
        var baseline = await db.SpikeBaselines.SingleAsync(b => b.Signature == Signature, ct);
        Assert.True(baseline.Mean > 0);
    }

    [Fact]
    public async Task A_month_of_steady_Poisson_traffic_raises_few_false_alarms_and_the_rate_is_reported()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        app.CreateClient();
        var stream = new CareTraffic(app, time, seed: 7);
        await stream.RunAsync(CareTraffic.Start + TimeSpan.FromDays(31), TimeSpan.FromHours(1));

        await using var db = await app.OpenDbAsync();
        var messages = await db.Messages.CountAsync(ct);
        var signatures = await db.SpikeBaselines.CountAsync(ct);
        var alerts = await db.SpikeAlerts.Select(a => a.Label).ToListAsync(ct);
        // 30 days after the first day's warm-up; every signature is tested on every message it counts.
        var perSignatureMonth = (double)alerts.Count / signatures;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"steady month: {messages} messages, {signatures} signatures, {alerts.Count} alerts, {perSignatureMonth:0.0000} per signature-month: {string.Join("; ", alerts)}");
        Assert.InRange(messages, 8_000, 10_000);
        Assert.InRange(alerts.Count, 0, 2);
    }

    [Fact]
    public async Task Dismissing_an_alert_keeps_the_same_level_quiet_but_a_higher_level_alerts_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        var client = app.CreateApiClient();
        // Templated texts: this stream (seed 3) has no other damage report in the spikes' windows, so "the same level"
        // is 10 for the concern too; with another one the concern would count 11, above the dismissed 10.
        var stream = new CareTraffic(app, time, seed: 3, templated: true);
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromMinutes(30));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), SpikeOf(time.GetUtcNow(), 10, TimeSpan.FromMinutes(10)).ToList());

        var alerts = await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes?status=proposed", ct);
        var alert = Assert.Single(alerts!);
        Assert.Equal(10, alert.Count);
        var dismissed = await client.PostAsJsonAsync($"/api/v1/spikes/{alert.Id}/dismiss", new { by = "Lena Lead" }, ct);
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/spikes/{alert.Id}/accept", new { by = "Lena Lead" }, ct)).StatusCode);
        await using (var db = await app.OpenDbAsync())
        {
            Assert.Equal(10, (await db.SpikeBaselines.SingleAsync(b => b.Signature == Signature, ct)).DismissedLevel);
        }

        await stream.RunAsync(time.GetUtcNow() + TimeSpan.FromHours(8), TimeSpan.FromMinutes(30));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), SpikeOf(time.GetUtcNow(), 10, TimeSpan.FromMinutes(10)).ToList());
        Assert.Empty((await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes?status=proposed", ct))!);

        await stream.RunAsync(time.GetUtcNow() + TimeSpan.FromHours(8), TimeSpan.FromMinutes(30));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), SpikeOf(time.GetUtcNow(), 20, TimeSpan.FromMinutes(10)).ToList());
        // Twice the dismissed count: the SKU, or its concern with the day's other damage reports, crosses first.
        var again = Assert.Single((await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes?status=proposed", ct))!);
        Assert.Contains(again.Signature, new[] { Signature, "damaged_item" });
        Assert.InRange(again.Level, 11, 20);
        var linked = (await client.GetFromJsonAsync<SpikeAlertDetail>($"/api/v1/spikes/{again.Id}", ct))!.Messages;
        Assert.Equal(20, linked.Count(m => m.Text.Contains("broke the first time", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Accepting_an_alert_hands_on_its_messages_and_conversations_and_a_second_decision_is_409()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        var client = app.CreateApiClient();
        var stream = new CareTraffic(app, time, seed: 4);
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromHours(1));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), SpikeOf(time.GetUtcNow(), 8, TimeSpan.FromMinutes(10)).ToList());
        var alert = Assert.Single((await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes", ct))!);

        var detail = await client.GetFromJsonAsync<SpikeAlertDetail>($"/api/v1/spikes/{alert.Id}", ct);
        Assert.Equal(8, detail!.Messages.Count);
        Assert.All(detail.Messages, m => Assert.Contains("broke the first time", m.Text, StringComparison.Ordinal));
        var accepted = await client.PostAsync($"/api/v1/spikes/{alert.Id}/accept", null, ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var handedOn = await accepted.Content.ReadFromJsonAsync<AcceptedSpike>(ct);
        Assert.Equal(detail.Messages.Select(m => m.MessageId).Order(), handedOn!.MessageIds);
        Assert.Equal(8, handedOn.ConversationIds.Count);
        var defect = await client.GetFromJsonAsync<Features.Defects.DefectDetail>($"/api/v1/defects/{handedOn.DefectId}", ct);
        Assert.Equal("open", defect!.Status, ignoreCase: true);
        Assert.Equal(alert.Signature.ToLowerInvariant(), defect.SignatureKey);
        Assert.Equal(handedOn.ConversationIds, defect.Links.Where(l => l.Kind.Equals("conversation", StringComparison.OrdinalIgnoreCase)).Select(l => l.RefId!.Value).Order());
        Assert.NotEmpty(defect.Recoveries);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/spikes/{alert.Id}/dismiss", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/spikes/999999/accept", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/spikes?status=maybe", ct)).StatusCode);
    }

    [Fact]
    public async Task With_the_loop_running_an_alert_is_visible_within_ten_seconds_of_the_tipping_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(new Dictionary<string, string?>
        {
            ["Spikes:Interval"] = "00:00:00.250",
            ["Spikes:WarmUp"] = "00:00:00",
        });
        var client = app.CreateApiClient();
        var stream = new CareTraffic(app, new FakeTimeProvider(), seed: 5);
        var now = TimeProvider.System.GetUtcNow();
        await stream.AddAsync(CareTraffic.Evenly(now - TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), 4, "damaged_item", Broken, Sku));
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.Empty((await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes", ct))!);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await stream.AddAsync([new Arrival(TimeProvider.System.GetUtcNow(), "damaged_item", Broken(5), Sku)]);
        List<SpikeAlertSummary> alerts;
        do
        {
            await Task.Delay(50, ct);
            alerts = (await client.GetFromJsonAsync<List<SpikeAlertSummary>>("/api/v1/spikes", ct))!;
        }
        while (alerts.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"alert visible {watch.ElapsedMilliseconds} ms after the tipping message was stored");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(5, Assert.Single(alerts).Count);
    }
    private static string Phishing(int i) =>
        $"I got a text message saying my parcel {10_400 + i} is held at customs and that I must pay a fee of 29 kr through a link, is that really from you?";

    [Fact]
    public async Task A_text_cluster_that_no_label_names_raises_a_text_alert_within_ten_seconds_on_varied_traffic()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        app.CreateClient();
        var stream = new CareTraffic(app, time, seed: 12);
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromMinutes(30));

        // Six customers forward the same scam text over ten minutes, each in a batch of its own: no SKU, no order.
        var spike = CareTraffic.Evenly(time.GetUtcNow(), TimeSpan.FromMinutes(10), 6, "where_is_my_order", Phishing, null).ToList();
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), spike);

        await using var db = await app.OpenDbAsync();
        var alert = Assert.Single(await db.SpikeAlerts.Include(a => a.Messages).ToListAsync(ct));
        Assert.Equal(SignatureKind.Text, alert.Kind);
        Assert.StartsWith("where_is_my_order|text:", alert.Signature, StringComparison.Ordinal);
        var spikeIds = await db.Messages.Where(m => m.Text.Contains("held at customs")).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        Assert.Equal(6, spikeIds.Count);
        // The run's first message came in an earlier batch than the second; it is counted and linked too.
        Assert.Equal(spikeIds, alert.Messages.Select(m => m.MessageId).Order());
        Assert.Equal(spikeIds[4], alert.TippingMessageId);
        var tipping = await db.Messages.SingleAsync(m => m.Id == alert.TippingMessageId, ct);
        Assert.InRange(alert.RaisedAt - tipping.CreatedAt, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_same_texts_spread_evenly_over_the_days_on_varied_traffic_raise_no_alert_and_keep_no_text_slices()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = TestApp.Sqlite(Manual, time);
        app.CreateClient();
        var stream = new CareTraffic(app, time, seed: 12);
        var total = s_warm + TimeSpan.FromMinutes(12);
        var steady = CareTraffic.Evenly(CareTraffic.Start, total, 6, "where_is_my_order", Phishing, null).ToList();
        await stream.RunAsync(CareTraffic.Start + s_warm, TimeSpan.FromMinutes(30), (t, step) => steady.Where(a => a.At >= t && a.At < t + step));
        await RunFineAsync(stream, time, TimeSpan.FromMinutes(12), steady);

        await using var db = await app.OpenDbAsync();
        Assert.Equal(6, await db.Messages.CountAsync(m => m.Text.Contains("held at customs"), ct));
        Assert.Empty(await db.SpikeAlerts.Select(a => a.Label).ToListAsync(ct));
        // Eight hours apart, the scam's bands never recur within a window: each cost one pre-filter row, no slice.
        Assert.True(await db.SpikeTextBands.AnyAsync(ct));
        var bands = SignatureKeys.For("where_is_my_order", Phishing(0), null, [], textClusters: true)
            .Where(k => k.Kind == SignatureKind.Text).Select(k => k.Signature).ToList();
        Assert.Equal(4, bands.Count);
        Assert.False(await db.SpikeBuckets.AnyAsync(b => bands.Contains(b.Signature), ct));
    }

    [Fact]
    public async Task A_slice_links_exactly_its_first_hundred_messages_however_the_batches_fall_on_SQLite()
    {
        await using var app = TestApp.Sqlite(Manual, new FakeTimeProvider(CareTraffic.Start));
        app.CreateClient();
        await AssertLinkCapAsync(app);
    }

    /// <summary>Batches of 60, 70 and 5 ids (of 3 and 4 digits) and one of 150 on one slice: the count goes on, the links stop at 100.</summary>
    internal static async Task AssertLinkCapAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var slice = SpikeRule.Default.SliceOf(CareTraffic.Start);
        var added = new List<long>();
        async Task AddAsync(string signature, IEnumerable<long> ids)
        {
            var counts = new SliceCounts();
            foreach (var id in ids)
            {
                counts.Add(signature, slice, id);
                added.Add(id);
            }
            await using var db = await app.OpenDbAsync();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await counts.AddToAsync(db, ct);
            await transaction.CommitAsync(ct);
        }
        async Task<SpikeBucket> RowAsync(string signature)
        {
            await using var db = await app.OpenDbAsync();
            return await db.SpikeBuckets.AsNoTracking().SingleAsync(b => b.Signature == signature, ct);
        }

        await AddAsync("cap", Enumerable.Range(900, 60).Select(i => (long)i));
        await AddAsync("cap", Enumerable.Range(960, 70).Select(i => (long)i));
        var row = await RowAsync("cap");
        Assert.Equal(130, row.Count);
        Assert.Equal(added.Take(SpikeBucket.MaxLinkedPerSlice), row.LinkedIds());
        await AddAsync("cap", Enumerable.Range(2000, 5).Select(i => (long)i));
        row = await RowAsync("cap");
        Assert.Equal(135, row.Count);
        Assert.Equal(SpikeBucket.MaxLinkedPerSlice, row.LinkedIds().Count());

        added.Clear();
        await AddAsync("cap-one-batch", Enumerable.Range(1, 150).Select(i => (long)i));
        row = await RowAsync("cap-one-batch");
        Assert.Equal(150, row.Count);
        Assert.Equal(added.Take(SpikeBucket.MaxLinkedPerSlice), row.LinkedIds());
        added.Clear();
        await AddAsync("cap-exact", Enumerable.Range(1, 99).Select(i => (long)i));
        await AddAsync("cap-exact", Enumerable.Range(100, 2).Select(i => (long)i));
        row = await RowAsync("cap-exact");
        Assert.Equal(added.Take(SpikeBucket.MaxLinkedPerSlice), row.LinkedIds());
    }
}
