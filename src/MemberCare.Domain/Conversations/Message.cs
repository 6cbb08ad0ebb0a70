namespace MemberCare.Domain.Conversations;

/// <summary>One message in a conversation: from the customer, to the customer, or an internal note.</summary>
public sealed class Message
{
    private Message()
    {
    }

    public long Id { get; private set; }
    public long ConversationId { get; private set; }
    public MessageDirection Direction { get; private set; }
    public Channel Channel { get; private set; }

    /// <summary>The platform's id; unique per channel, so a webhook delivered twice is stored once.</summary>
    public string? ExternalId { get; private set; }

    public string? AuthorName { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The request body exactly as it arrived, kept for audit.</summary>
    public string? RawPayload { get; private set; }

    public string? Concern { get; private set; }
    public double? ConcernConfidence { get; private set; }
    public string? Sentiment { get; private set; }
    public string? Language { get; private set; }
    public string? Urgency { get; private set; }

    /// <summary>Order numbers, SKUs, sizes and colours found in the text, as a JSON object.</summary>
    public string? Entities { get; private set; }

    /// <summary>The department that can fix the cause, by its key.</summary>
    public string? Department { get; private set; }

    /// <summary>When triage ran; null on an inbound message means it still waits for triage.</summary>
    public DateTimeOffset? TriagedAt { get; private set; }

    /// <summary>The model set that triaged the message, or who corrected it last.</summary>
    public string? TriageModelVersion { get; private set; }

    public bool AwaitsTriage => Direction == MessageDirection.Inbound && TriagedAt is null;

    public void RecordTriage(MessageTriage triage, DateTimeOffset at)
    {
        if (Direction != MessageDirection.Inbound)
        {
            throw new InvalidOperationException("Only messages from customers are triaged.");
        }
        Concern = triage.Concern;
        ConcernConfidence = triage.Confidence;
        Sentiment = triage.Sentiment;
        Language = triage.Language;
        Urgency = triage.Urgency;
        Entities = triage.Entities;
        Department = triage.Department;
        TriageModelVersion = triage.ModelVersion;
        TriagedAt = at.ToUniversalTime();
    }

    /// <summary>An agent's correction replaces the labels it names; a corrected concern is certain.</summary>
    public void CorrectTriage(string? concern, string? department, string? sentiment, string? language)
    {
        if (concern is not null)
        {
            Concern = concern;
            ConcernConfidence = 1;
            Department = department ?? Department;
        }
        Sentiment = sentiment ?? Sentiment;
        Language = language ?? Language;
    }

    /// <summary>For an agent's reply that leaves through a platform's API: sending, sent or failed; null otherwise.</summary>
    public MessageDelivery? Delivery { get; private set; }

    public const int MaxDeliveryErrorLength = 300;

    [System.ComponentModel.DataAnnotations.MaxLength(MaxDeliveryErrorLength)]
    public string? DeliveryError { get; private set; }

    public void DeliverySending()
    {
        Delivery = MessageDelivery.Sending;
        DeliveryError = null;
    }

    public void DeliverySent()
    {
        Delivery = MessageDelivery.Sent;
        DeliveryError = null;
    }

    /// <summary>Visible on the message: the platform refused it or retries ran out.</summary>
    public void DeliveryFailed(string error)
    {
        Delivery = MessageDelivery.Failed;
        DeliveryError = error.Length > MaxDeliveryErrorLength ? error[..MaxDeliveryErrorLength] : error;
    }

    /// <summary>When the author deleted the message on the platform; its text and raw payload are gone since.</summary>
    public DateTimeOffset? WithdrawnAt { get; private set; }

    public const string WithdrawnText = "(deleted by the author)";

    internal void Withdraw(DateTimeOffset at)
    {
        Text = WithdrawnText;
        RawPayload = null;
        WithdrawnAt ??= at.ToUniversalTime();
    }

    internal static Message Inbound(Channel channel, string externalId, string text, DateTimeOffset sentAt, string? authorName, string? rawPayload, DateTimeOffset receivedAt)
    {
        if (string.IsNullOrWhiteSpace(externalId))
        {
            throw new ArgumentException("An inbound message needs the channel's id.", nameof(externalId));
        }
        return new Message
        {
            Direction = MessageDirection.Inbound,
            Channel = channel,
            ExternalId = externalId.Trim(),
            Text = CheckText(text),
            SentAt = sentAt.ToUniversalTime(),
            AuthorName = authorName,
            RawPayload = rawPayload,
            CreatedAt = receivedAt.ToUniversalTime(),
        };
    }

    internal static Message Outbound(Channel channel, string author, string text, DateTimeOffset at) => new()
    {
        Direction = MessageDirection.Outbound,
        Channel = channel,
        AuthorName = author,
        Text = CheckText(text),
        SentAt = at.ToUniversalTime(),
        CreatedAt = at.ToUniversalTime(),
    };

    internal static Message Note(Channel channel, string author, string text, DateTimeOffset at) => new()
    {
        Direction = MessageDirection.Note,
        Channel = channel,
        AuthorName = author,
        Text = CheckText(text),
        SentAt = at.ToUniversalTime(),
        CreatedAt = at.ToUniversalTime(),
    };

    private static string CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A message needs text.", nameof(text));
        }
        if (text.Length > Conversation.MaxTextLength)
        {
            throw new ArgumentException($"A message holds at most {Conversation.MaxTextLength} characters.", nameof(text));
        }
        return text;
    }
}

public enum MessageDelivery
{
    Sending,
    Sent,
    Failed,
}
