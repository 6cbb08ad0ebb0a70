using Microsoft.ML.Data;

namespace MemberCare.Features.Triage;

/// <summary>What every triage model reads: the message text, as training and prediction see it.</summary>
public sealed class TextInput
{
    public string Text { get; set; } = "";
}

/// <summary>What every triage model (concern, sentiment, language) predicts: a label and one score per class.</summary>
public sealed class LabelPrediction
{
    [ColumnName("PredictedLabel")]
    public string Label { get; set; } = "";

    public float[] Score { get; set; } = [];
}

/// <summary>The models the product ships, by file name under Features/Triage/Models.</summary>
public static class TriageModelFiles
{
    public const string Concern = "concern.zip";
    public const string Sentiment = "sentiment.zip";
    public const string Language = "language.zip";
    public const string Manifest = "manifest.json";
}
