using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MemberCare.Domain.Triage;
using MemberCare.Features.Triage;
using MemberCare.Features.Triage.Retraining;
using MemberCare.Features.Triage.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Triage;

/// <summary>
/// The scheduled retrain end to end on a small labels folder (no corpora): real training, real evaluation on the
/// held-out split, the release stored in the database and picked up by a second node sharing it.
/// </summary>
public sealed class TriageRetrainTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "membercare-retrain-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_better_candidate_is_promoted_and_a_second_node_sharing_the_database_swaps_it_in()
    {
        var ct = TestContext.Current.CancellationToken;
        var labels = WriteLabels(_folder);
        // The set in use learnt the wrong labels: every sensible candidate beats it on the held-out split.
        var wrong = Path.Combine(_folder, "wrong");
        var rows = TrainingModelTests.Messages().ToList();
        SmallModelTrainer.Train(
            rows.Select(r => (r[0], Rotate(r[1]))),
            rows.Select(r => (r[0], r[2] == "negative" ? "positive" : "negative")),
            rows.Select(r => (r[0], r[3])),
            wrong,
            "wrong-1");
        var settings = Settings(_folder, wrong, labels);
        await using var first = TriageIntakeTests.AppWithModels(wrong, settings);
        await using var second = TriageIntakeTests.AppWithModels(wrong, settings);
        var client = first.CreateApiClient();
        second.CreateClient();
        await CorrectAsync(client, "Where is my order 48812? The parka has still not arrived", new { concern = "where_is_my_order", sentiment = "negative" });
        await CorrectAsync(client, "I love the scarf, beautiful colour, thank you!", new { concern = "praise", sentiment = "positive" });

        var attempt = await first.Services.GetRequiredService<TriageRetrainer>().RunAsync(ct);

        Assert.NotNull(attempt);
        Assert.True(attempt.Outcome == RetrainOutcome.Promoted, attempt.Reason);
        Assert.Equal("wrong-1", attempt.CurrentVersion);
        Assert.Equal(2, attempt.Corrections);
        Assert.Equal("retrain-" + attempt.Id, first.Services.GetRequiredService<TriageModels>().Current!.Version);
        var secondModels = second.Services.GetRequiredService<TriageModels>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (secondModels.Current?.Version != "retrain-" + attempt.Id && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, ct);
        }
        Assert.Equal("retrain-" + attempt.Id, secondModels.Current?.Version);
        Assert.True(secondModels.EnsureLoaded());
        Assert.Equal("retrain-" + attempt.Id, secondModels.Current?.Version);

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/v1/triage/retrains", ct);
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal("Promoted", entry.GetProperty("outcome").GetString());
        Assert.Equal(first.Services.GetRequiredService<TriageRetrainer>().Node, entry.GetProperty("node").GetString());
        var before = entry.GetProperty("scoresBefore").EnumerateArray().Single(s => s.GetProperty("model").GetString() == "concern");
        var after = entry.GetProperty("scoresAfter").EnumerateArray().Single(s => s.GetProperty("model").GetString() == "concern");
        Assert.True(after.GetProperty("macroF1").GetDouble() > before.GetProperty("macroF1").GetDouble());
        Assert.False(entry.GetProperty("finishedAt").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_candidate_trained_on_deliberately_wrong_corrections_is_not_promoted()
    {
        var ct = TestContext.Current.CancellationToken;
        var labels = WriteLabels(_folder);
        var current = Path.Combine(_folder, "current");
        new TriageTraining(new TriagePaths(Path.Combine(_folder, "no-corpora"), labels, current), TextWriter.Null).Train("good-1", null);
        await using var app = TriageIntakeTests.AppWithModels(current, Settings(_folder, current, labels));
        var client = app.CreateApiClient();
        // Every labelled text again, twice over and slightly reworded, with its concern rotated and its sentiment flipped.
        foreach (var row in TrainingModelTests.Messages())
        {
            foreach (var ending in new[] { " !!", " ??" })
            {
                await CorrectAsync(client, row[0] + ending, new { concern = Rotate(row[1]), sentiment = row[2] == "negative" ? "positive" : "negative" });
            }
        }

        var attempt = await app.Services.GetRequiredService<TriageRetrainer>().RunAsync(ct);

        Assert.NotNull(attempt);
        Assert.True(attempt.Outcome == RetrainOutcome.Rejected, attempt.Reason);
        Assert.Contains("Worse than the set in use", attempt.Reason, StringComparison.Ordinal);
        Assert.Equal("good-1", app.Services.GetRequiredService<TriageModels>().Current!.Version);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(0, await db.TriageModelReleases.CountAsync(ct));

        // Nothing new since the rejected attempt: the next one does not train the same corrections again.
        Assert.Null(await app.Services.GetRequiredService<TriageRetrainer>().RunAsync(ct));
    }

    [Fact]
    public void A_candidate_below_the_current_set_on_one_corpus_beyond_the_tolerance_is_worse()
    {
        RetrainScore[] current = [new("concern", "a", 10, 0.80), new("sentiment", "a", 10, 0.70), new("language", "a", 10, 0.99)];

        Assert.True(TriageRetrainer.Judge(current, [new("concern", "a", 10, 0.796), new("sentiment", "a", 10, 0.75), new("language", "a", 10, 0.5)], 0.005).NotWorse);
        var (notWorse, reason) = TriageRetrainer.Judge(current, [new("concern", "a", 10, 0.79), new("sentiment", "a", 10, 0.75)], 0.005);
        Assert.False(notWorse);
        Assert.Contains("concern on a: 0.790 < 0.800", reason, StringComparison.Ordinal);
        Assert.False(TriageRetrainer.Judge(current, [new("sentiment", "a", 10, 0.75)], 0.005).NotWorse);
        Assert.False(TriageRetrainer.Judge([], [], 0.005).NotWorse);
    }

    [Fact]
    public void Corrections_only_train_and_a_corrected_copy_of_a_held_out_text_is_left_out()
    {
        var texts = Enumerable.Range(0, 200).Select(i => $"message number {i} about my order").ToList();
        var own = texts.Select(t => new LabelledText(t, t.Length % 2 == 0 ? "praise" : "other", "care-messages-en", SplitRule.TextKey(t), Real: true)).ToList();
        var corrected = texts.Select(t => new LabelledText(t, "where_is_my_order", TriageCorpora.CorrectionsCorpus, SplitRule.TextKey(t), Real: true, PresetTest: false));
        var recipe = TriageRecipes.Chosen(TriageTask.Concern);

        var dataset = TriageDatasets.Build(TriageTask.Concern, [.. own, .. corrected], recipe);

        var heldOut = dataset.Test.Select(r => r.Item.Key).ToHashSet();
        Assert.NotEmpty(heldOut);
        Assert.DoesNotContain(dataset.Rows, r => r.Corpus == TriageCorpora.CorrectionsCorpus && r.IsTest);
        Assert.DoesNotContain(dataset.Train, r => r.Corpus == TriageCorpora.CorrectionsCorpus && heldOut.Contains(r.Item.Key));
        Assert.Equal(200 - heldOut.Count, dataset.Train.Count(r => r.Corpus == TriageCorpora.CorrectionsCorpus));
    }

    internal static Dictionary<string, string?> Settings(string folder, string models, string labels) => new()
    {
        ["Triage:ModelsFolder"] = models,
        ["Database:DataFolder"] = Path.Combine(folder, "db"),
        ["Triage:Retrain:DataFolder"] = Path.Combine(folder, "no-corpora"),
        ["Triage:Retrain:LabelsFolder"] = labels,
        ["Triage:Retrain:WorkFolder"] = Path.Combine(folder, "work"),
        ["Triage:Retrain:MinNewCorrections"] = "1",
        ["Triage:Retrain:Tolerance"] = "0",
        ["Triage:Retrain:PollInterval"] = "00:00:00.100",
    };

    internal static string WriteLabels(string folder)
    {
        var labels = Directory.CreateDirectory(Path.Combine(folder, "labels")).FullName;
        var csv = new StringBuilder("text,concern,sentiment,language\n");
        foreach (var row in TrainingModelTests.Messages())
        {
            csv.AppendLine(string.Join(',', row.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")));
        }
        File.WriteAllText(Path.Combine(labels, "care_messages_en.csv"), csv.ToString());
        return labels;
    }

    internal static async Task CorrectAsync(HttpClient client, string text, object correction)
    {
        var posted = await TriageIntakeTests.PostAsync(client, "m-" + Guid.NewGuid().ToString("N"), text);
        var messageId = posted.GetProperty("messageId").GetInt64();
        (await client.PostAsJsonAsync($"/api/v1/messages/{messageId}/triage", correction, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
    }

    private static string Rotate(string concern) => concern switch
    {
        "where_is_my_order" => "praise",
        "praise" => "product_quality",
        _ => "where_is_my_order",
    };
}
