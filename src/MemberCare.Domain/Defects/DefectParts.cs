using MemberCare.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Defects;

/// <summary>A conversation, order, SKU or customer the defect touched.</summary>
public sealed class DefectLink
{
    private DefectLink()
    {
    }

    internal DefectLink(DefectLinkKind kind, string key, long? refId, DateTimeOffset at)
    {
        Kind = kind;
        Key = key.Length <= 64 ? key : key[..64];
        RefId = refId;
        LinkedAt = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public long DefectId { get; private set; }
    public DefectLinkKind Kind { get; private set; }

    /// <summary>The conversation or customer id, the order number or the SKU, as text.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The row's id for conversations, orders and customers.</summary>
    public long? RefId { get; private set; }

    public DateTimeOffset LinkedAt { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<DefectLink>
    {
        public void Configure(EntityTypeBuilder<DefectLink> link)
        {
            link.Property(l => l.Key).HasMaxLength(64);
            link.HasIndex(l => new { l.DefectId, l.Kind, l.Key }).IsUnique();
            link.HasIndex(l => new { l.Kind, l.RefId });
            link.HasIndex(l => new { l.Kind, l.Key });
        }
    }
}

/// <summary>A corrective or preventive action: an owner (a person or a department), a due date, evidence when done.</summary>
public sealed class DefectAction
{
    public const int MaxDescription = 1000;
    public const int MaxEvidence = 2000;

    private DefectAction()
    {
    }

    internal DefectAction(ActionKind kind, string description, string? ownerUserId, string? ownerDepartment, DateTimeOffset dueAt, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new ArgumentException("An action needs a description.", nameof(description));
        }
        if (string.IsNullOrWhiteSpace(ownerUserId) == string.IsNullOrWhiteSpace(ownerDepartment))
        {
            throw new ArgumentException("An action is owned by one person or one department.", nameof(ownerUserId));
        }
        Kind = kind;
        Description = description.Trim().Length <= MaxDescription ? description.Trim() : description.Trim()[..MaxDescription];
        OwnerUserId = string.IsNullOrWhiteSpace(ownerUserId) ? null : ownerUserId.Trim();
        OwnerDepartment = string.IsNullOrWhiteSpace(ownerDepartment) ? null : ownerDepartment.Trim();
        DueAt = dueAt.ToUniversalTime();
        CreatedAt = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public long DefectId { get; private set; }
    public ActionKind Kind { get; private set; }
    public string Description { get; private set; } = "";
    public string? OwnerUserId { get; private set; }
    public string? OwnerDepartment { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public string? Evidence { get; private set; }

    /// <summary>When a node last claimed this action's reminder; the claim is a conditional update, so one node wins.</summary>
    public DateTimeOffset? RemindedAt { get; private set; }

    internal void Complete(string evidence, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(evidence))
        {
            throw new ArgumentException("A completed action needs evidence.", nameof(evidence));
        }
        Evidence = evidence.Trim().Length <= MaxEvidence ? evidence.Trim() : evidence.Trim()[..MaxEvidence];
        DoneAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<DefectAction>
    {
        public void Configure(EntityTypeBuilder<DefectAction> action)
        {
            action.ToTable("DefectActions");
            action.Property(a => a.Description).HasMaxLength(MaxDescription);
            action.Property(a => a.Evidence).HasMaxLength(MaxEvidence);
            action.Property(a => a.OwnerUserId).HasMaxLength(64);
            action.Property(a => a.OwnerDepartment).HasMaxLength(40);
            action.HasIndex(a => new { a.DoneAt, a.DueAt });
        }
    }
}

/// <summary>Winning one customer back: the remedy, what it cost, and the staff time it took.</summary>
public sealed class RecoveryTask
{
    private RecoveryTask()
    {
    }

    internal RecoveryTask(long customerId, DateTimeOffset at)
    {
        CustomerId = customerId;
        Remedy = Remedy.Apology;
        CreatedAt = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public long DefectId { get; private set; }
    public long CustomerId { get; private set; }
    public Remedy Remedy { get; private set; }

    /// <summary>The refund, the reshipment's cost or the voucher's value; nothing for an apology.</summary>
    public decimal Amount { get; private set; }

    public int HandlingMinutes { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }

    public void Plan(Remedy remedy, decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Remedy = remedy;
        Amount = remedy == Remedy.Apology ? 0 : amount;
    }

    public void Complete(int handlingMinutes, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(handlingMinutes);
        HandlingMinutes = handlingMinutes;
        DoneAt ??= at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<RecoveryTask>
    {
        public void Configure(EntityTypeBuilder<RecoveryTask> task)
        {
            task.Property(t => t.Amount).HasPrecision(14, 2);
            task.HasIndex(t => new { t.DefectId, t.CustomerId }).IsUnique();
            task.HasIndex(t => t.CustomerId);
            task.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>A staff member has read a lesson.</summary>
public sealed class LessonAcknowledgement
{
    private LessonAcknowledgement()
    {
    }

    public LessonAcknowledgement(long defectId, string userId, DateTimeOffset at)
    {
        DefectId = defectId;
        UserId = userId;
        AcknowledgedAt = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public long DefectId { get; private set; }
    public string UserId { get; private set; } = "";
    public DateTimeOffset AcknowledgedAt { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<LessonAcknowledgement>
    {
        public void Configure(EntityTypeBuilder<LessonAcknowledgement> ack)
        {
            ack.Property(a => a.UserId).HasMaxLength(64);
            ack.HasIndex(a => new { a.DefectId, a.UserId }).IsUnique();
            ack.HasOne<Defect>().WithMany().HasForeignKey(a => a.DefectId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>The daily briefing e-mail of one day: its primary key is the day, so only one node's insert succeeds.</summary>
public sealed class BriefingMailing
{
    private BriefingMailing()
    {
    }

    public BriefingMailing(DateOnly day, DateTimeOffset at)
    {
        Day = day;
        SentAt = at.ToUniversalTime();
    }

    public DateOnly Day { get; private set; }
    public DateTimeOffset SentAt { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<BriefingMailing>
    {
        public void Configure(EntityTypeBuilder<BriefingMailing> mailing) => mailing.HasKey(m => m.Day);
    }
}

/// <summary>Signatures: a concern plus the area it touches, such as "wrong_item|sku:drs-114" or "damaged|carrier:posten".</summary>
public static class DefectSignature
{
    public const int MaxLength = 200;

    public static IReadOnlyList<string> Areas { get; } = ["sku", "supplier", "carrier", "warehouse", "site"];

    public static string Make(string concern, string area, string value) =>
        Normalize($"{concern}|{area}:{value}");

    public static string Normalize(string? signature)
    {
        var flat = (signature ?? "").Trim().ToLowerInvariant();
        return flat.Length <= MaxLength ? flat : flat[..MaxLength];
    }

    /// <summary>The concern part of a signature, or the whole of it when it names no area.</summary>
    public static string Concern(string signature) => signature.Split('|')[0];
}
