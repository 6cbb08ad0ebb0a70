using MemberCare.Features.Triage;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Triage;

/// <summary>Two nodes on one real PostgreSQL database (the test run's throwaway cluster).</summary>
public sealed class TriagePostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_nodes_backfilling_at_once_triage_each_waiting_message_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await database.ConnectionStringAsync();
        var folder = TrainedModels.EmptyFolder();
        var quiet = new Dictionary<string, string?>
        {
            ["Triage:ModelsFolder"] = folder,
            ["Triage:BackfillInterval"] = "01:00:00",
            ["Triage:BackfillBatchSize"] = "25",
        };

        await using var first = TestApp.Postgres(connection, quiet);
        var client = first.CreateApiClient();
        for (var i = 0; i < 200; i++)
        {
            await TriageIntakeTests.PostAsync(client, $"m-{i}", TriageExamples.Lines[i % TriageExamples.Lines.Count].Text, $"c{i % 40}@example.com");
        }
        await using var second = TestApp.Postgres(connection, quiet);
        second.CreateClient();

        TrainedModels.CopyInto(TrainedModels.V1, folder);
        Assert.True(first.Services.GetRequiredService<TriageModels>().EnsureLoaded());
        Assert.True(second.Services.GetRequiredService<TriageModels>().EnsureLoaded());
        var counts = await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<TriageBackfill>().TriageWaitingAsync(ct), ct),
            Task.Run(() => second.Services.GetRequiredService<TriageBackfill>().TriageWaitingAsync(ct), ct));

        Assert.Equal(200, counts.Sum());
        await using var db = await first.OpenDbAsync();
        Assert.Equal(0, await db.Messages.CountAsync(m => m.TriagedAt == null, ct));
        Assert.Equal(0, await db.Conversations.CountAsync(c => c.ConcernType == null, ct));
    }
}
