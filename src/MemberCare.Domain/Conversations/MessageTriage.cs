namespace MemberCare.Domain.Conversations;

/// <summary>What triage concluded about one inbound message, as it is stored.</summary>
public sealed record MessageTriage(
    string Concern,
    double Confidence,
    string Sentiment,
    string Language,
    string Urgency,
    string Entities,
    string Department,
    string ModelVersion);
