namespace MemberCare.Domain.Triage;

/// <summary>
/// An agent's verdict on a message's labels. The model's labels are kept beside it, so the next training
/// learns from the correction and an evaluation can count what the model got wrong.
/// </summary>
public sealed class TriageCorrection
{
    private TriageCorrection()
    {
    }

    public long Id { get; private set; }
    public long MessageId { get; private set; }
    public string? Concern { get; private set; }
    public string? Sentiment { get; private set; }
    public string? Language { get; private set; }
    public string? PreviousConcern { get; private set; }
    public string? PreviousSentiment { get; private set; }
    public string? PreviousLanguage { get; private set; }
    public string CorrectedBy { get; private set; } = "";
    public DateTimeOffset CorrectedAt { get; private set; }

    public static TriageCorrection Record(
        long messageId,
        (string? Concern, string? Sentiment, string? Language) correction,
        (string? Concern, string? Sentiment, string? Language) previous,
        string by,
        DateTimeOffset at)
    {
        if (correction is { Concern: null, Sentiment: null, Language: null })
        {
            throw new ArgumentException("A correction names at least one label.", nameof(correction));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return new TriageCorrection
        {
            MessageId = messageId,
            Concern = correction.Concern,
            Sentiment = correction.Sentiment,
            Language = correction.Language,
            PreviousConcern = previous.Concern,
            PreviousSentiment = previous.Sentiment,
            PreviousLanguage = previous.Language,
            CorrectedBy = by.Trim(),
            CorrectedAt = at.ToUniversalTime(),
        };
    }
}
