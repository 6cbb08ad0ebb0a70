using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Routing;

public enum HandoffStatus
{
    Requested,
    Acknowledged,
    Done,
    Rejected,
}

/// <summary>
/// A request from care to a department to fix or answer something about one conversation. It carries a copy of what
/// the department needs (the customer's words, the order line, SKU, size, colour), so the department never needs
/// the conversation itself.
/// </summary>
public sealed class Handoff
{
    public const int MaxTextLength = 4000;
    public const int MaxWordsLength = 8000;

    private Handoff()
    {
    }

    public long Id { get; private set; }

    /// <summary>The public id ("ho_…"), fixed at creation so that the outbound event written with it can name it.</summary>
    public string Key { get; private set; } = "";

    /// <summary>Bumped by every change, so two people acting on the same hand-off at once cannot both win.</summary>
    public int Revision { get; private set; }

    public long ConversationId { get; private set; }
    public string DepartmentKey { get; private set; } = "";
    public HandoffStatus Status { get; private set; }
    public string? Concern { get; private set; }

    /// <summary>What care asks the department to do.</summary>
    public string? Request { get; private set; }

    /// <summary>The customer's own words, quoted when the hand-off was made.</summary>
    public string CustomerWords { get; private set; } = "";

    public string? OrderNumber { get; private set; }
    public string? Sku { get; private set; }
    public string? Size { get; private set; }
    public string? Colour { get; private set; }

    /// <summary>Who asked: a staff user id, or null for a routing rule.</summary>
    public string? RequestedById { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public long? RuleId { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset AcknowledgeDueAt { get; private set; }
    public DateTimeOffset CompleteDueAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedBy { get; private set; }
    public string? Answer { get; private set; }
    public string? RejectReason { get; private set; }

    /// <summary>When the reminder before the current deadline went out; cleared when the deadline moves on.</summary>
    public DateTimeOffset? RemindedAt { get; private set; }

    /// <summary>When the breach of the current deadline went to the lead; cleared when the deadline moves on.</summary>
    public DateTimeOffset? EscalatedAt { get; private set; }

    public bool IsOpen => Status is HandoffStatus.Requested or HandoffStatus.Acknowledged;

    /// <summary>The deadline the department works against now, or null once it is closed.</summary>
    public DateTimeOffset? DueAt => Status switch
    {
        HandoffStatus.Requested => AcknowledgeDueAt,
        HandoffStatus.Acknowledged => CompleteDueAt,
        _ => null,
    };

    public static Handoff Open(
        long conversationId,
        string departmentKey,
        HandoffDetails details,
        string requestedBy,
        string? requestedById,
        long? ruleId,
        DateTimeOffset at,
        DateTimeOffset acknowledgeDueAt,
        DateTimeOffset completeDueAt)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (string.IsNullOrWhiteSpace(departmentKey))
        {
            throw new ArgumentException("A hand-off names a department.", nameof(departmentKey));
        }
        return new Handoff
        {
            Key = "ho_" + Guid.CreateVersion7(at).ToString("N"),
            ConversationId = conversationId,
            DepartmentKey = departmentKey.Trim(),
            Status = HandoffStatus.Requested,
            Concern = details.Concern,
            Request = Limit(details.Request, MaxTextLength),
            CustomerWords = Limit(details.CustomerWords, MaxWordsLength) ?? "",
            OrderNumber = details.OrderNumber,
            Sku = details.Sku,
            Size = details.Size,
            Colour = details.Colour,
            RequestedBy = requestedBy,
            RequestedById = requestedById,
            RuleId = ruleId,
            RequestedAt = at.ToUniversalTime(),
            AcknowledgeDueAt = acknowledgeDueAt.ToUniversalTime(),
            CompleteDueAt = completeDueAt.ToUniversalTime(),
        };
    }

    /// <summary>The department has seen it; false, changing nothing, unless it was just requested.</summary>
    public bool Acknowledge(string by, DateTimeOffset at)
    {
        if (Status != HandoffStatus.Requested)
        {
            return false;
        }
        Status = HandoffStatus.Acknowledged;
        Revision++;
        AcknowledgedAt = at.ToUniversalTime();
        AcknowledgedBy = by;
        RemindedAt = null;
        EscalatedAt = null;
        return true;
    }

    /// <summary>The department's answer; answering an unacknowledged request acknowledges it in the same step.</summary>
    public bool Complete(string by, string answer, DateTimeOffset at)
    {
        if (!IsOpen || string.IsNullOrWhiteSpace(answer))
        {
            return false;
        }
        var utc = at.ToUniversalTime();
        AcknowledgedAt ??= utc;
        AcknowledgedBy ??= by;
        Status = HandoffStatus.Done;
        Revision++;
        Answer = Limit(answer.Trim(), MaxTextLength);
        ClosedAt = utc;
        ClosedBy = by;
        return true;
    }

    public bool Reject(string by, string reason, DateTimeOffset at)
    {
        if (!IsOpen || string.IsNullOrWhiteSpace(reason))
        {
            return false;
        }
        Status = HandoffStatus.Rejected;
        Revision++;
        RejectReason = Limit(reason.Trim(), MaxTextLength);
        ClosedAt = at.ToUniversalTime();
        ClosedBy = by;
        return true;
    }

    public void Reminded(DateTimeOffset at)
    {
        RemindedAt = at.ToUniversalTime();
        Revision++;
    }

    public void Escalated(DateTimeOffset at)
    {
        EscalatedAt = at.ToUniversalTime();
        Revision++;
    }

    private static string? Limit(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= max ? text : text[..max];

    internal sealed class Mapping : IEntityTypeConfiguration<Handoff>
    {
        public void Configure(EntityTypeBuilder<Handoff> handoff)
        {
            handoff.Property(h => h.Key).HasMaxLength(40);
            handoff.HasIndex(h => h.Key).IsUnique();
            handoff.Property(h => h.Revision).IsConcurrencyToken();
            handoff.Property(h => h.DepartmentKey).HasMaxLength(40);
            handoff.Property(h => h.Concern).HasMaxLength(40);
            handoff.Property(h => h.Request).HasMaxLength(MaxTextLength);
            handoff.Property(h => h.CustomerWords).HasMaxLength(MaxWordsLength);
            handoff.Property(h => h.OrderNumber).HasMaxLength(64);
            handoff.Property(h => h.Sku).HasMaxLength(64);
            handoff.Property(h => h.Size).HasMaxLength(32);
            handoff.Property(h => h.Colour).HasMaxLength(40);
            handoff.Property(h => h.RequestedById).HasMaxLength(64);
            handoff.Property(h => h.RequestedBy).HasMaxLength(200);
            handoff.Property(h => h.AcknowledgedBy).HasMaxLength(200);
            handoff.Property(h => h.ClosedBy).HasMaxLength(200);
            handoff.Property(h => h.Answer).HasMaxLength(MaxTextLength);
            handoff.Property(h => h.RejectReason).HasMaxLength(MaxTextLength);
            handoff.Ignore(h => h.IsOpen);
            handoff.Ignore(h => h.DueAt);
            handoff.HasOne<Conversation>().WithMany().HasForeignKey(h => h.ConversationId).OnDelete(DeleteBehavior.Cascade);
            handoff.HasIndex(h => new { h.DepartmentKey, h.Status, h.RequestedAt });
            handoff.HasIndex(h => new { h.ConversationId, h.Status });
            // The sweep's scan: open hand-offs by their deadlines.
            handoff.HasIndex(h => new { h.Status, h.AcknowledgeDueAt });
            handoff.HasIndex(h => new { h.Status, h.CompleteDueAt });
        }
    }
}

/// <summary>What a department gets with a hand-off: the concern, the ask, the customer's words and the item.</summary>
public sealed record HandoffDetails(
    string? Concern,
    string? Request,
    string CustomerWords,
    string? OrderNumber,
    string? Sku,
    string? Size,
    string? Colour);
