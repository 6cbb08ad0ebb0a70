using System.Text.Json;
using MemberCare.Features.Triage;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace MemberCare.Tests.Triage;

/// <summary>One labelled line for the three triage heads.</summary>
public sealed record LabelledLine(string Text, string Concern, string Sentiment, string Language);

/// <summary>
/// Trains small real ML.NET models with the product's contract (Text in; PredictedLabel and a Score
/// named by SlotNames out), so that loading, pooling and swapping are tested on real models rather
/// than on a stand-in. Not the product's trainer and not its models.
/// </summary>
public static class SmallModelTrainer
{
    public static void Train(IReadOnlyList<LabelledLine> lines, string folder, string version) => Train(
        lines.Select(l => (l.Text, l.Concern)),
        lines.Select(l => (l.Text, l.Sentiment)),
        lines.Select(l => (l.Text, l.Language)),
        folder,
        version);

    public static void Train(
        IEnumerable<(string Text, string Label)> concern,
        IEnumerable<(string Text, string Label)> sentiment,
        IEnumerable<(string Text, string Label)> language,
        string folder,
        string version)
    {
        Directory.CreateDirectory(folder);
        var ml = new MLContext(seed: 1);
        Save(ml, concern, Path.Combine(folder, TriageModelFiles.Concern));
        Save(ml, sentiment, Path.Combine(folder, TriageModelFiles.Sentiment));
        Save(ml, language, Path.Combine(folder, TriageModelFiles.Language));
        File.WriteAllText(Path.Combine(folder, TriageModelFiles.Manifest), JsonSerializer.Serialize(new { version }));
    }

    private static void Save(MLContext ml, IEnumerable<(string Text, string Label)> rows, string path)
    {
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Text = r.Text, Label = r.Label }).ToList());
        // The label is mapped to a key outside the saved chain: a model that needs a Label to predict is useless.
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(TextInput.Text))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                // A few dozen lines: little regularization, so the model fits what it was shown.
                L1Regularization = 0,
                L2Regularization = 0.01f,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(keyed);
        ml.Model.Save(model, data.Schema, path);
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
