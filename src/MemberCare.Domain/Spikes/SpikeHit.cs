using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Spikes;

/// <summary>One message counted under one signature; kept for a few windows, to count and link a sliding window.</summary>
public sealed class SpikeHit
{
    private SpikeHit()
    {
    }

    public SpikeHit(string signature, long messageId, DateTimeOffset at)
    {
        Signature = signature;
        MessageId = messageId;
        At = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public string Signature { get; private set; } = "";
    public long MessageId { get; private set; }
    public DateTimeOffset At { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeHit>
    {
        public void Configure(EntityTypeBuilder<SpikeHit> hit)
        {
            hit.Property(h => h.Signature).HasMaxLength(SignatureBaseline.MaxSignatureLength);
            hit.HasIndex(h => new { h.Signature, h.At });
            hit.HasIndex(h => h.At);
            hit.HasOne<Message>().WithMany().HasForeignKey(h => h.MessageId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// The detector's watermark: the last message it counted, and since when it has observed. One row; on PostgreSQL the
/// node that locks it (FOR UPDATE SKIP LOCKED) counts the next batch, so two nodes never count a message twice.
/// </summary>
public sealed class SpikeCursor
{
    public const int SingletonId = 1;

    private SpikeCursor()
    {
    }

    public int Id { get; private set; }
    public long LastMessageId { get; private set; }
    public DateTimeOffset? ObservedSince { get; private set; }
    public DateTimeOffset? LastPrunedAt { get; private set; }

    public void Advance(long messageId, DateTimeOffset firstMessageAt)
    {
        LastMessageId = Math.Max(LastMessageId, messageId);
        ObservedSince ??= firstMessageAt.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeCursor>
    {
        public void Configure(EntityTypeBuilder<SpikeCursor> cursor)
        {
            cursor.Property(c => c.Id).ValueGeneratedNever();
            cursor.HasData(new { Id = SingletonId, LastMessageId = 0L });
        }
    }
}
