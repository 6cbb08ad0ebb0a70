using System.Globalization;
using CsvHelper;
using MemberCare.Features.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemberCare.Tests.Triage;

/// <summary>The one-pass scorer against ML.NET's PredictionEngines, on the shipped models and real labelled texts.</summary>
public sealed class FastTriageScorerTests
{
    private static readonly Lazy<TriageModelSet> s_shipped = new(() => TriageModelSet.Load(Path.Combine(RepositoryRoot(), "src", "MemberCare", "Features", "Triage", "Models")));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the repository.");
    }

    private static List<string> LabelledTexts()
    {
        var texts = new List<string>();
        foreach (var file in new[] { "care_messages_en.csv", "care_messages_no.csv", "care_messages_other.csv", "care_messages_da_sv.csv", "short_texts.csv" })
        {
            using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "data", "triage", file));
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            csv.Read();
            csv.ReadHeader();
            while (csv.Read())
            {
                texts.Add(csv.GetField("text")!);
            }
        }
        return texts;
    }

    [Fact]
    public void The_shipped_models_load_with_the_fast_path_on()
    {
        var set = s_shipped.Value;

        Assert.True(set.Fast is not null, set.FastPath);
        Assert.StartsWith("on:", set.FastPath, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fast_path_gives_ML_NET_s_probabilities_on_every_labelled_care_message()
    {
        var set = s_shipped.Value;
        var fast = set.Fast!;
        ModelHead[] heads = [set.Concern, set.Sentiment, set.Language];
        var texts = LabelledTexts();
        Assert.True(texts.Count > 3_000, $"{texts.Count} texts");

        var largest = 0.0;
        foreach (var text in texts)
        {
            var ours = fast.Probabilities(text);
            for (var h = 0; h < heads.Length; h++)
            {
                var theirs = heads[h].Scores(text);
                Assert.Equal(Array.IndexOf(theirs, theirs.Max()), Array.IndexOf(ours[h], ours[h].Max()));
                largest = Math.Max(largest, ours[h].Zip(theirs, (a, b) => Math.Abs(a - b)).Max());
            }
        }
        Assert.InRange(largest, 0, FastPathCheck.Tolerance);
    }

    [Fact]
    public void The_vector_path_gives_the_scalar_path_s_probabilities_to_the_bit()
    {
        var fast = s_shipped.Value.Fast!;
        string[] edges = ["", "   ", "!!!", "👍", "a", "ok", "\u0000\u0000 x", "a|b c|d || x", string.Concat(Enumerable.Repeat("Where is my order #10234? ", 120))];

        foreach (var text in LabelledTexts().Concat(edges))
        {
            var vector = fast.Probabilities(text);
            var scalar = fast.Probabilities(text, vectors: false);
            for (var h = 0; h < scalar.Length; h++)
            {
                Assert.Equal(scalar[h].Select(BitConverter.SingleToInt32Bits), vector[h].Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void Scoring_a_text_gives_the_labels_and_confidences_of_its_probabilities()
    {
        var fast = s_shipped.Value.Fast!;

        foreach (var text in LabelledTexts().Take(300))
        {
            var probabilities = fast.Probabilities(text);
            var scores = fast.Score(text, language: true);
            Assert.Equal(Array.IndexOf(probabilities[0], probabilities[0].Max()), scores.Concern);
            Assert.Equal(probabilities[0].Max(), scores.ConcernConfidence);
            Assert.Equal(Array.IndexOf(probabilities[1], probabilities[1].Max()), scores.Sentiment);
            Assert.Equal(probabilities[1].Max(), scores.SentimentConfidence);
            Assert.Equal(Array.IndexOf(probabilities[2], probabilities[2].Max()), scores.Language);
            Assert.Equal(-1, fast.Score(text, language: false).Language);
        }
    }

    [Fact]
    public void The_engine_answers_the_same_triage_with_and_without_the_fast_path()
    {
        var set = s_shipped.Value;
        var engine = new TriageEngine(ModelsWith(set));

        foreach (var text in LabelledTexts().Take(400))
        {
            var result = engine.Triage(text)!;
            Assert.Equal(set.Concern.Predict(text).Label, result.Concern);
            Assert.Equal(set.Concern.Predict(text).Confidence, result.Confidence, 1e-4f);
            Assert.Equal(set.Sentiment.Predict(text).Label, result.Sentiment);
            if (result.Language != TriageLabels.Unknown)
            {
                Assert.Equal(TriageLabels.NormalizeLanguage(set.Language.Predict(text).Label), result.Language);
            }
        }
    }

    [Fact]
    public void Models_whose_featurizer_the_fast_path_does_not_reproduce_are_scored_by_ML_NET()
    {
        // The small test models use FeaturizeText's defaults: diacritics removed, punctuation kept, plain term frequencies.
        var set = TriageModelSet.Load(TrainedModels.V1);

        Assert.Null(set.Fast);
        Assert.StartsWith("off:", set.FastPath, StringComparison.Ordinal);
        Assert.Equal("v1", new TriageEngine(ModelsWith(set)).Triage("Where is my order? It has been two weeks")!.ModelVersion);
    }

    private static TriageModels ModelsWith(TriageModelSet set)
    {
        var models = new TriageModels(Options.Create(new TriageOptions()), NullLogger<TriageModels>.Instance);
        models.Swap(set);
        return models;
    }
}
