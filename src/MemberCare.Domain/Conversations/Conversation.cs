using MemberCare.Domain.Customers;

namespace MemberCare.Domain.Conversations;

/// <summary>A case: everything one customer raised on one channel until it is resolved.</summary>
public sealed class Conversation
{
    public const int MaxTextLength = 64 * 1024;

    private Conversation()
    {
    }

    public long Id { get; private set; }
    public long CustomerId { get; private set; }
    public Customer? Customer { get; private set; }
    public Channel Channel { get; private set; }
    public string? ThreadKey { get; private set; }
    public string? Subject { get; private set; }
    public ConversationStatus Status { get; private set; }
    public Priority Priority { get; private set; } = Priority.Normal;
    public string? AssigneeId { get; private set; }
    public string? OrderNumber { get; private set; }
    public string? ConcernType { get; private set; }
    public double? ConcernConfidence { get; private set; }
    public string? Sentiment { get; private set; }
    public string? Language { get; private set; }
    public string? Urgency { get; private set; }
    public int MessageCount { get; private set; }
    public string? LastMessagePreview { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }
    public DateTimeOffset? FirstResponseAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int? SatisfactionScore { get; private set; }
    public DateTimeOffset? FirstResponseDueAt { get; private set; }
    public DateTimeOffset? ResolutionDueAt { get; private set; }

    /// <summary>The deadline the case is working against now, or none while nobody owes an answer; computed by the database.</summary>
    public DateTimeOffset? SlaDueAt { get; private set; }

    /// <summary>Priority as a number that sorts (low 0 … urgent 3); computed by the database.</summary>
    public int PriorityRank { get; private set; }
    public List<Message> Messages { get; private set; } = [];

    /// <summary>Whether a new inbound message from the customer belongs here rather than in a new conversation.</summary>
    public bool AcceptsInbound => Status is not (ConversationStatus.Resolved or ConversationStatus.Closed);

    public static Conversation Start(long customerId, Channel channel, string? threadKey, string? subject, DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new Conversation
        {
            CustomerId = customerId,
            Channel = channel,
            ThreadKey = Blank(threadKey),
            Subject = Blank(subject),
            Status = ConversationStatus.New,
            CreatedAt = utc,
            UpdatedAt = utc,
            LastMessageAt = utc,
            FirstResponseDueAt = utc + SlaTargets.FirstResponse(Priority.Normal),
            ResolutionDueAt = utc + SlaTargets.Resolution(Priority.Normal),
        };
    }

    /// <summary>
    /// Records a message from the customer. A customer who answers while we wait on them reopens the case;
    /// a resolved or closed case takes no more messages (the caller starts a new conversation).
    /// </summary>
    public Message ReceiveInbound(string externalId, string text, DateTimeOffset sentAt, string? authorName, string? rawPayload, DateTimeOffset receivedAt)
    {
        if (!AcceptsInbound)
        {
            throw new InvalidOperationException($"Conversation {Id} is {Status.ToKey()} and takes no more inbound messages.");
        }
        var message = Message.Inbound(Channel, externalId, text, sentAt, authorName, rawPayload, receivedAt);
        Append(message, receivedAt);
        LastMessagePreview = Preview(text);
        if (Status == ConversationStatus.WaitingOnCustomer)
        {
            Status = ConversationStatus.Open;
        }
        return message;
    }

    /// <summary>
    /// The customer deleted a message on the platform: its text goes (platform terms require it), the row stays
    /// as the record that there was a message and when it was withdrawn.
    /// </summary>
    public void WithdrawMessage(Message message, DateTimeOffset at)
    {
        if (message.ConversationId != Id && !Messages.Contains(message))
        {
            throw new InvalidOperationException($"Message {message.Id} is not in conversation {Id}.");
        }
        var wasLast = LastMessagePreview == Preview(message.Text);
        message.Withdraw(at);
        if (wasLast)
        {
            LastMessagePreview = Message.WithdrawnText;
        }
        UpdatedAt = at.ToUniversalTime();
    }

    /// <summary>An agent's answer to the customer. The first one stops the first-response clock.</summary>
    public Message Reply(string author, string text, DateTimeOffset at)
    {
        if (Status == ConversationStatus.Closed)
        {
            throw new InvalidOperationException($"Conversation {Id} is closed.");
        }
        var message = Message.Outbound(Channel, author, text, at);
        Append(message, at);
        LastMessagePreview = Preview(text);
        FirstResponseAt ??= at.ToUniversalTime();
        if (Status == ConversationStatus.New)
        {
            Status = ConversationStatus.Open;
        }
        return message;
    }

    /// <summary>An automatic acknowledgement to the customer; unlike an agent's reply it leaves the first-response clock running.</summary>
    public Message AutoReply(string author, string text, DateTimeOffset at)
    {
        if (Status == ConversationStatus.Closed)
        {
            throw new InvalidOperationException($"Conversation {Id} is closed.");
        }
        var message = Message.Outbound(Channel, author, text, at);
        Append(message, at);
        LastMessagePreview = Preview(text);
        return message;
    }

    public Message AddNote(string author, string text, DateTimeOffset at)
    {
        var message = Message.Note(Channel, author, text, at);
        Append(message, at);
        return message;
    }

    public bool CanMoveTo(ConversationStatus to) => ConversationStatuses.CanMove(Status, to);

    /// <summary>Moves along an allowed transition; returns false, changing nothing, for any other.</summary>
    public bool TryMoveTo(ConversationStatus to, DateTimeOffset at)
    {
        if (!CanMoveTo(to))
        {
            return false;
        }
        var utc = at.ToUniversalTime();
        Status = to;
        UpdatedAt = utc;
        switch (to)
        {
            case ConversationStatus.Resolved:
                ResolvedAt = utc;
                break;
            case ConversationStatus.Closed:
                ClosedAt = utc;
                ResolvedAt ??= utc;
                break;
            case ConversationStatus.Open:
                ResolvedAt = null;
                break;
            default:
                break;
        }
        return true;
    }

    public void ReferOrder(string? orderNumber)
    {
        if (!string.IsNullOrWhiteSpace(orderNumber))
        {
            OrderNumber = Orders.Order.NormalizeNumber(orderNumber);
        }
    }

    /// <summary>A new priority moves the SLA deadlines, counted from when the case was opened.</summary>
    public void SetPriority(Priority priority, DateTimeOffset at)
    {
        Priority = priority;
        UpdatedAt = at.ToUniversalTime();
        FirstResponseDueAt = CreatedAt + SlaTargets.FirstResponse(priority);
        ResolutionDueAt = CreatedAt + SlaTargets.Resolution(priority);
    }

    public void Triage(string? concernType, double? confidence, string? sentiment, string? language, string? urgency)
    {
        ConcernType = concernType;
        ConcernConfidence = confidence;
        Sentiment = sentiment;
        Language = language;
        Urgency = urgency;
    }

    /// <summary>
    /// Takes the labels of a triaged inbound message. The newest message speaks for the case; urgency and
    /// priority only rise after the first triage, because a calmer follow-up does not make a late parcel
    /// less late: lowering them is an agent's decision.
    /// </summary>
    public void ApplyTriage(MessageTriage triage, bool newest, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(triage);
        if (newest || ConcernType is null)
        {
            ConcernType = triage.Concern;
            ConcernConfidence = triage.Confidence;
            Sentiment = triage.Sentiment;
            Language = triage.Language;
        }
        var priority = PriorityOf(triage.Urgency);
        if (Urgency is null || priority > Priority)
        {
            Urgency = triage.Urgency;
            Priority = priority;
        }
        var utc = at.ToUniversalTime();
        UpdatedAt = utc > UpdatedAt ? utc : UpdatedAt;
    }

    /// <summary>An agent's corrected labels; null leaves a label as it is.</summary>
    public void CorrectTriage(string? concern, string? sentiment, string? language, DateTimeOffset at)
    {
        if (concern is not null)
        {
            ConcernType = concern;
            ConcernConfidence = 1;
        }
        Sentiment = sentiment ?? Sentiment;
        Language = language ?? Language;
        var utc = at.ToUniversalTime();
        UpdatedAt = utc > UpdatedAt ? utc : UpdatedAt;
    }

    private static Priority PriorityOf(string urgency) => urgency switch
    {
        "low" => Priority.Low,
        "high" => Priority.High,
        "urgent" => Priority.Urgent,
        _ => Priority.Normal,
    };

    public void AssignTo(string? assigneeId, DateTimeOffset at)
    {
        AssigneeId = Blank(assigneeId);
        UpdatedAt = at.ToUniversalTime();
    }

    public void RecordSatisfaction(int score)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(score, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 5);
        SatisfactionScore = score;
    }

    private void Append(Message message, DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        Messages.Add(message);
        MessageCount++;
        UpdatedAt = utc > UpdatedAt ? utc : UpdatedAt;
        LastMessageAt = utc > LastMessageAt ? utc : LastMessageAt;
    }

    private static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 160 ? flat : flat[..160];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
