using MemberCare.Domain.Conversations;

namespace MemberCare.Features.Triage;

public sealed record TriageResult(
    string Concern,
    float Confidence,
    string Sentiment,
    string Language,
    Urgency Urgency,
    TriageEntities Entities,
    string Department,
    string ModelVersion)
{
    public MessageTriage ToMessageTriage() => new(
        Concern, Math.Round(Confidence, 4), Sentiment, Language, Urgency.ToKey(), Entities.ToJson(), Department, ModelVersion);
}

/// <summary>
/// Triages one message: the three models for concern, sentiment and language, then the rules for
/// urgency, entities and department. Thread-safe; answers null while no model set is loaded.
/// </summary>
public sealed class TriageEngine(TriageModels models)
{
    /// <summary>Fewer words than this say too little to tell the language.</summary>
    public const int MinWordsForLanguage = 3;

    /// <summary>
    /// The models read the start of a long message only: the concern is stated early, and featurizing
    /// 64 KB of quoted e-mail thread would cost a hundred short messages' time.
    /// </summary>
    public const int MaxModelChars = 2000;

    public bool IsReady => models.Current is not null;

    public TriageResult? Triage(string text, TriageContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = models.Current;
        if (set is null)
        {
            return null;
        }
        context ??= TriageContext.None;
        var modelText = text.AsSpan(0, Math.Min(text.Length, MaxModelChars));
        var tellsLanguage = CountWords(modelText, MinWordsForLanguage) >= MinWordsForLanguage;
        string concern, sentiment, language;
        float confidence;
        if (set.Fast is { } fast)
        {
            var scores = fast.Score(modelText, tellsLanguage);
            concern = fast.ConcernLabels[scores.Concern];
            confidence = scores.ConcernConfidence;
            sentiment = fast.SentimentLabels[scores.Sentiment];
            language = tellsLanguage ? fast.ReportedLanguages[scores.Language] : TriageLabels.Unknown;
        }
        else
        {
            var cut = text.Length <= MaxModelChars ? text : text[..MaxModelChars];
            (concern, confidence) = set.Concern.Predict(cut);
            (sentiment, _) = set.Sentiment.Predict(cut);
            language = tellsLanguage ? TriageLabels.NormalizeLanguage(set.Language.Predict(cut).Label) : TriageLabels.Unknown;
        }
        var urgency = UrgencyRules.Assess(text, concern, sentiment, context);
        var entities = EntityFinder.Find(text, language);
        return new TriageResult(concern, confidence, sentiment, language, urgency, entities, TriageLabels.DepartmentFor(concern), set.Version);
    }

    /// <summary>Counts words (runs holding a letter) up to <paramref name="enough"/>; emoji, digits and punctuation are not words.</summary>
    public static int CountWords(ReadOnlySpan<char> text, int enough = int.MaxValue)
    {
        var words = 0;
        var inWord = false;
        var hasLetter = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (inWord && hasLetter && ++words >= enough)
                {
                    return words;
                }
                inWord = false;
                hasLetter = false;
            }
            else
            {
                inWord = true;
                hasLetter |= char.IsLetter(c);
            }
        }
        return inWord && hasLetter ? words + 1 : words;
    }
}
