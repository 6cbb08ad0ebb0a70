using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Spikes;

public enum SpikeAlertStatus
{
    Proposed,
    Accepted,
    Dismissed,
}

/// <summary>
/// A proposed defect: a signature that rose above its usual rate, with the messages of the window that tipped it.
/// A lead accepts it (it becomes a defect) or dismisses it (its signature then alerts only above this count).
/// </summary>
public sealed class SpikeAlert
{
    public const int MaxDecidedByLength = 200;

    private SpikeAlert()
    {
    }

    public long Id { get; private set; }
    public string Signature { get; private set; } = "";
    public SignatureKind Kind { get; private set; }
    public string Concern { get; private set; } = "";
    public string Label { get; private set; } = "";

    /// <summary>The bucket the tipping message fell in; one alert per signature and bucket, whichever node finds it.</summary>
    public DateTimeOffset WindowStart { get; private set; }

    public long TippingMessageId { get; private set; }

    /// <summary>When the message that tipped the signature over its level arrived.</summary>
    public DateTimeOffset TippedAt { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }

    /// <summary>Messages in the window when raised, or more as the spike went on.</summary>
    public int Count { get; private set; }

    /// <summary>The usual count per window at the time.</summary>
    public double Expected { get; private set; }

    public int Level { get; private set; }
    public SpikeAlertStatus Status { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public List<SpikeAlertMessage> Messages { get; private set; } = [];

    public static SpikeAlert Raise(
        string signature,
        SignatureKind kind,
        string concern,
        string label,
        DateTimeOffset windowStart,
        long tippingMessageId,
        DateTimeOffset tippedAt,
        double expected,
        int level,
        IReadOnlyCollection<long> messageIds,
        int count,
        DateTimeOffset now)
    {
        if (messageIds.Count == 0)
        {
            throw new ArgumentException("An alert links the messages that raised it.", nameof(messageIds));
        }
        var alert = new SpikeAlert
        {
            Signature = signature,
            Kind = kind,
            Concern = concern,
            Label = label.Length > SignatureBaseline.MaxLabelLength ? label[..SignatureBaseline.MaxLabelLength] : label,
            WindowStart = windowStart.ToUniversalTime(),
            TippingMessageId = tippingMessageId,
            TippedAt = tippedAt.ToUniversalTime(),
            RaisedAt = now.ToUniversalTime(),
            Expected = expected,
            Level = level,
            Status = SpikeAlertStatus.Proposed,
        };
        alert.Link(messageIds, count);
        return alert;
    }

    /// <summary>Links messages of the ongoing spike that are not linked yet; the count is the window's largest.</summary>
    public int Link(IEnumerable<long> messageIds, int windowCount)
    {
        var linked = Messages.Select(m => m.MessageId).ToHashSet();
        var added = 0;
        foreach (var id in messageIds)
        {
            if (linked.Add(id))
            {
                Messages.Add(new SpikeAlertMessage(id));
                added++;
            }
        }
        Count = Math.Max(Count, windowCount);
        return added;
    }

    public void Accept(string by, DateTimeOffset at) => Decide(SpikeAlertStatus.Accepted, by, at);

    /// <summary>Dismisses the alert and raises its signature's threshold to this count, in the same change.</summary>
    public void Dismiss(SignatureBaseline baseline, string by, DateTimeOffset at)
    {
        if (baseline.Signature != Signature)
        {
            throw new ArgumentException("The baseline is another signature's.", nameof(baseline));
        }
        Decide(SpikeAlertStatus.Dismissed, by, at);
        baseline.RaiseThreshold(Count);
    }

    private void Decide(SpikeAlertStatus status, string by, DateTimeOffset at)
    {
        if (Status != SpikeAlertStatus.Proposed)
        {
            throw new InvalidOperationException($"The alert is {Status.ToString().ToLowerInvariant()} already.");
        }
        Status = status;
        DecidedBy = by.Length > MaxDecidedByLength ? by[..MaxDecidedByLength] : by;
        DecidedAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeAlert>
    {
        public void Configure(EntityTypeBuilder<SpikeAlert> alert)
        {
            alert.Property(a => a.Signature).HasMaxLength(SignatureBaseline.MaxSignatureLength);
            alert.Property(a => a.Concern).HasMaxLength(40);
            alert.Property(a => a.Label).HasMaxLength(SignatureBaseline.MaxLabelLength);
            alert.Property(a => a.DecidedBy).HasMaxLength(MaxDecidedByLength);
            // The guarantee that two nodes never raise the same alert twice.
            alert.HasIndex(a => new { a.Signature, a.WindowStart }).IsUnique();
            alert.HasIndex(a => new { a.Status, a.RaisedAt });
            // Two leads deciding at once: the second change finds the status moved and fails.
            alert.Property(a => a.Status).IsConcurrencyToken();
            alert.HasMany(a => a.Messages).WithOne().HasForeignKey(m => m.AlertId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>A message linked to a spike alert.</summary>
public sealed class SpikeAlertMessage
{
    private SpikeAlertMessage()
    {
    }

    internal SpikeAlertMessage(long messageId) => MessageId = messageId;

    public long AlertId { get; private set; }
    public long MessageId { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeAlertMessage>
    {
        public void Configure(EntityTypeBuilder<SpikeAlertMessage> link)
        {
            link.HasKey(l => new { l.AlertId, l.MessageId });
            link.HasIndex(l => l.MessageId);
            link.HasOne<Message>().WithMany().HasForeignKey(l => l.MessageId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
