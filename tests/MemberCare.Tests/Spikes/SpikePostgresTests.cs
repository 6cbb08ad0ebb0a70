using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Spikes;

/// <summary>Two nodes detecting on one real PostgreSQL database (the test run's throwaway cluster).</summary>
public sealed class SpikePostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_detectors_on_one_database_count_each_message_once_and_raise_one_alert()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        var connection = await database.ConnectionStringAsync();
        await using var first = TestApp.Postgres(connection, SpikeDetectionTests.Manual, time);
        first.CreateClient();
        await using var second = TestApp.Postgres(connection, SpikeDetectionTests.Manual, time);
        second.CreateClient();
        var traffic = new CareTraffic(first, time, seed: 9);
        await traffic.RunAsync(CareTraffic.Start + TimeSpan.FromDays(2), TimeSpan.FromHours(1));

        var spikeAt = time.GetUtcNow();
        await traffic.AddAsync(CareTraffic.Evenly(spikeAt, TimeSpan.FromMinutes(5), 12, "damaged_item", i => $"the heel snapped off my boots TS-131 on day one, case {i}", "TS-131"));
        time.SetUtcNow(spikeAt + TimeSpan.FromMinutes(5));
        var passes = await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<Features.Spikes.SpikeDetector>().RunOnceAsync(ct), ct),
            Task.Run(() => second.Services.GetRequiredService<Features.Spikes.SpikeDetector>().RunOnceAsync(ct), ct),
            Task.Run(() => first.Services.GetRequiredService<Features.Spikes.SpikeDetector>().RunOnceAsync(ct), ct),
            Task.Run(() => second.Services.GetRequiredService<Features.Spikes.SpikeDetector>().RunOnceAsync(ct), ct));
        await second.Services.GetRequiredService<Features.Spikes.SpikeDetector>().RunOnceAsync(ct);

        await using var db = await first.OpenDbAsync();
        var alert = Assert.Single(await db.SpikeAlerts.Include(a => a.Messages).ToListAsync(ct));
        Assert.Equal("damaged_item|sku:TS-131", alert.Signature);
        Assert.Equal(12, alert.Messages.Count);
        Assert.Equal(1, passes.Sum(p => p.Raised));
        Assert.Equal(await db.Messages.MaxAsync(m => m.Id, ct), (await db.SpikeCursors.SingleAsync(ct)).LastMessageId);
        // Counted once: two nodes adding the same batch would have made it 24.
        Assert.Equal(12, await db.SpikeBuckets.Where(b => b.Signature == alert.Signature).SumAsync(b => b.Count, ct));
    }
}
