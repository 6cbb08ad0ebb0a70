using MemberCare.Features.Triage.Retraining;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Triage;

/// <summary>Two nodes on one real PostgreSQL database contend for the retrain.</summary>
public sealed class TriageRetrainPostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "membercare-retrain-pg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Two_nodes_never_train_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await database.ConnectionStringAsync();
        var labels = TriageRetrainTests.WriteLabels(_folder);
        var settings = TriageRetrainTests.Settings(_folder, TrainedModels.V1, labels);
        await using var first = TestApp.Postgres(connection, settings);
        await using var second = TestApp.Postgres(connection, settings);
        var client = first.CreateApiClient();
        second.CreateClient();
        await TriageRetrainTests.CorrectAsync(client, "Where is my order 48812? The parka has still not arrived", new { concern = "where_is_my_order" });
        var one = first.Services.GetRequiredService<TriageRetrainer>();
        var two = second.Services.GetRequiredService<TriageRetrainer>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? one : two).ClaimAsync(ct), ct)));

        Assert.Single(claims, claimed => claimed);
        var loser = Array.IndexOf(claims, true) % 2 == 0 ? two : one;
        Assert.Null(await loser.RunAsync(ct));
        await using (var db = await first.OpenDbAsync())
        {
            Assert.Equal(0, await db.TriageRetrains.CountAsync(ct));
        }
        await one.ReleaseAsync();
        await two.ReleaseAsync();

        var runs = await Task.WhenAll(Task.Run(() => one.RunAsync(ct), ct), Task.Run(() => two.RunAsync(ct), ct));

        var attempt = Assert.Single(runs, r => r is not null);
        await using (var db = await first.OpenDbAsync())
        {
            Assert.Equal(attempt!.Id, Assert.Single(await db.TriageRetrains.ToListAsync(ct)).Id);
            var lease = await db.TriageRetrainLeases.SingleAsync(ct);
            Assert.Null(lease.Holder);
        }
    }
}
