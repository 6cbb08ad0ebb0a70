using MemberCare.Features.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemberCare.Tests.Triage;

public sealed class TriageEngineTests
{
    internal static TriageModels ModelsIn(string folder, bool load = true)
    {
        var models = new TriageModels(Options.Create(new TriageOptions { ModelsFolder = folder }), NullLogger<TriageModels>.Instance);
        if (load)
        {
            Assert.True(models.TryLoad(), models.Problem);
        }
        return models;
    }

    [Fact]
    public void Triages_a_message_into_every_field()
    {
        var engine = new TriageEngine(ModelsIn(TrainedModels.V1));
        var result = engine.Triage("I ordered the linen shirt in white size M and got a navy one in XL instead")!;
        Assert.Equal("wrong_or_missing_item", result.Concern);
        Assert.Equal("warehouse", result.Department);
        Assert.Equal("negative", result.Sentiment);
        Assert.Equal("en", result.Language);
        Assert.Equal(Urgency.High, result.Urgency);
        Assert.InRange(result.Confidence, 0.05f, 1f);
        Assert.Equal(["M", "XL"], result.Entities.Sizes);
        Assert.Equal(["white", "navy"], result.Entities.Colours);
        Assert.Equal("v1", result.ModelVersion);
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("thanks!")]
    [InlineData("order 10234")]
    [InlineData("👍👍👍 🙏")]
    [InlineData("?!?! ... !!!")]
    [InlineData("hei du")]
    public void Language_is_unknown_for_text_too_short_to_tell(string text) =>
        Assert.Equal(TriageLabels.Unknown, new TriageEngine(ModelsIn(TrainedModels.V1)).Triage(text)!.Language);

    [Theory]
    [InlineData("Hvor er pakken min? Jeg bestilte for to uker siden og sporingen står stille")]
    [InlineData("Kvar er pakken min? Eg bestilte for to veker sidan")]
    public void Bokmål_and_nynorsk_are_both_reported_as_no(string text) =>
        Assert.Equal("no", new TriageEngine(ModelsIn(TrainedModels.V1)).Triage(text)!.Language);

    [Fact]
    public void Counts_words_that_hold_letters()
    {
        Assert.Equal(0, TriageEngine.CountWords("👍 !!! 123"));
        Assert.Equal(3, TriageEngine.CountWords("  where is   it? "));
        Assert.Equal(2, TriageEngine.CountWords("order #10234 now"));
    }

    [Fact]
    public void Answers_null_while_no_models_are_loaded()
    {
        var models = ModelsIn(TrainedModels.EmptyFolder(), load: false);
        Assert.False(models.TryLoad());
        Assert.Contains("missing", models.Problem);
        Assert.Null(new TriageEngine(models).Triage("Where is my order?"));
    }

    [Fact]
    public void A_corrupt_model_file_is_refused_with_the_reason()
    {
        var folder = TrainedModels.EmptyFolder();
        TrainedModels.CopyInto(TrainedModels.V1, folder);
        File.WriteAllText(Path.Combine(folder, TriageModelFiles.Sentiment), "not a zip");
        var models = ModelsIn(folder, load: false);
        Assert.False(models.TryLoad());
        Assert.Contains("sentiment.zip", models.Problem);
        Assert.Null(models.Current);
    }

    [Fact]
    public void A_broken_new_set_leaves_the_set_in_use_in_place()
    {
        var folder = TrainedModels.EmptyFolder();
        TrainedModels.CopyInto(TrainedModels.V1, folder);
        var models = ModelsIn(folder);
        File.WriteAllText(Path.Combine(folder, TriageModelFiles.Concern), "half written");
        Assert.True(models.EnsureLoaded());
        Assert.False(models.TryLoad());
        Assert.Equal("v1", models.Current!.Version);
    }

    [Fact]
    public void A_new_set_written_to_the_folder_is_picked_up_without_a_restart()
    {
        var folder = TrainedModels.EmptyFolder();
        TrainedModels.CopyInto(TrainedModels.V1, folder);
        var models = ModelsIn(folder);
        var engine = new TriageEngine(models);
        Assert.Equal("v1", engine.Triage("Where is my order?")!.ModelVersion);

        TrainedModels.CopyInto(TrainedModels.V2, folder);
        File.SetLastWriteTimeUtc(Path.Combine(folder, TriageModelFiles.Manifest), DateTime.UnixEpoch.AddYears(60));
        Assert.True(models.EnsureLoaded());
        Assert.Equal("v2", engine.Triage("Where is my order?")!.ModelVersion);
    }

    [Fact]
    public async Task Swapping_the_model_set_under_concurrent_use_loses_no_triage()
    {
        var models = ModelsIn(TrainedModels.V1);
        var v1 = models.Current!;
        var v2 = TriageModelSet.Load(TrainedModels.V2);
        var engine = new TriageEngine(models);
        using var stop = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var texts = TriageExamples.Lines.Select(l => l.Text).ToArray();

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var done = 0;
            while (!stop.IsCancellationRequested || done < 50)
            {
                var result = engine.Triage(texts[(w + done) % texts.Length]);
                Assert.NotNull(result);
                Assert.True(TriageLabels.IsConcern(result.Concern), result.Concern);
                seen.AddOrUpdate(result.ModelVersion, 1, (_, n) => n + 1);
                done++;
            }
            return done;
        }, TestContext.Current.CancellationToken)).ToArray();

        for (var i = 0; i < 40; i++)
        {
            models.Swap(i % 2 == 0 ? v2 : v1);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await stop.CancelAsync();
        var counts = await Task.WhenAll(workers);

        Assert.All(counts, c => Assert.True(c >= 50));
        Assert.Equal(["v1", "v2"], seen.Keys.Order());
        Assert.Equal(counts.Sum(), seen.Values.Sum());
    }
}
