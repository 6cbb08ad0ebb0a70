using MemberCare.Domain;

namespace MemberCare.Features.Intake;

/// <summary>
/// A customer's message as every channel hands it to intake, already verified and parsed. TriageText, when given,
/// is what the models read instead of Text (an e-mail without its quoted history and signature).
/// </summary>
public sealed record InboundMessage(
    Channel Channel,
    string ExternalId,
    CustomerReference Customer,
    string Text,
    DateTimeOffset SentAt,
    string? OrderNumber = null,
    string? ThreadKey = null,
    string? Subject = null,
    string? RawPayload = null,
    string? TriageText = null);

/// <summary>Whatever the channel tells us about who wrote: a name, an e-mail address, a handle on the channel.</summary>
public sealed record CustomerReference(string? Name, string? Email, string? Handle);

public sealed record IntakeOutcome(long ConversationId, long MessageId, long CustomerId, bool Created);
