using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MemberCare.Features.Triage.Training;

/// <summary>A row as the trainer sees it.</summary>
public sealed class TrainingRow
{
    public string Text { get; set; } = "";

    public string Label { get; set; } = "";

    public float Weight { get; set; } = 1f;
}

/// <summary>
/// Fits one model and predicts with it. The saved model maps a <see cref="TextInput"/> to a
/// <see cref="LabelPrediction"/>: the label is keyed before the saved chain, so the chain needs only the text.
/// </summary>
public sealed class TriageModelTrainer(int seed)
{
    public const int DefaultSeed = 20261123;

    private readonly MLContext _ml = new(seed);

    public MLContext Context => _ml;

    public DataViewSchema InputSchema => _ml.Data.LoadFromEnumerable(Array.Empty<TextInput>()).Schema;

    public ITransformer Fit(TriageRecipe recipe, IEnumerable<SplitText> rows)
    {
        // n-gram dictionaries keep the first n-grams they meet: the heaviest rows (the rarest classes) come first,
        // so a rare class's n-grams are in, and a fixed shuffle within equal weights brings frequent n-grams early.
        var data = _ml.Data.LoadFromEnumerable(rows
            .OrderByDescending(r => r.Weight)
            .ThenBy(r => SplitRule.Hash("order:" + r.Item.Key))
            .Select(r => new TrainingRow { Text = r.Text, Label = r.Label, Weight = r.Weight }));
        var keyed = _ml.Transforms.Conversion
            .MapValueToKey("Label", "Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(data)
            .Transform(data);
        // The cache sits after the features: the trainer passes over the data many times, hashing n-grams once.
        var pipeline = recipe.Features(_ml)
            .AppendCacheCheckpoint(_ml)
            .Append(recipe.Estimator(_ml))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        return pipeline.Fit(keyed);
    }

    public void Save(ITransformer model, string path) => _ml.Model.Save(model, InputSchema, path);

    public ITransformer Load(string path) => _ml.Model.Load(path, out _);

    public IReadOnlyList<LabelPrediction> Predict(ITransformer model, IEnumerable<string> texts)
    {
        var view = _ml.Data.LoadFromEnumerable(texts.Select(t => new TextInput { Text = t }));
        return [.. _ml.Data.CreateEnumerable<LabelPrediction>(model.Transform(view), reuseRowObject: false)];
    }

    /// <summary>The label names of the Score slots, in slot order.</summary>
    public static IReadOnlyList<string> ScoreLabels(ITransformer model, DataViewSchema inputSchema)
    {
        var score = model.GetOutputSchema(inputSchema)["Score"];
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }
}
