using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Spikes;

/// <summary>
/// How many messages one signature counted in one slice of time (a twelfth of the window), with the ids of the first
/// of them. The detector adds a whole batch to these rows with one upsert per few hundred rows, so the cost per message
/// is a share of a statement, and a window's count is a sum over twelve rows. Kept for two windows.
/// </summary>
public sealed class SpikeBucket
{
    /// <summary>How many message ids a slice keeps for linking; the count goes on.</summary>
    public const int MaxLinkedPerSlice = 100;

    private SpikeBucket()
    {
    }

    public string Signature { get; private set; } = "";

    /// <summary>The slice's start in UTC ticks; a number, so raw upserts and sums are the same on every provider.</summary>
    public long SliceStart { get; private set; }

    public int Count { get; private set; }

    /// <summary>Comma-separated ids of up to about <see cref="MaxLinkedPerSlice"/> of the slice's messages.</summary>
    public string MessageIds { get; private set; } = "";

    public IEnumerable<long> LinkedIds() =>
        MessageIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture));

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeBucket>
    {
        public void Configure(EntityTypeBuilder<SpikeBucket> bucket)
        {
            bucket.HasKey(b => new { b.Signature, b.SliceStart });
            bucket.Property(b => b.Signature).HasMaxLength(SignatureBaseline.MaxSignatureLength);
            bucket.HasIndex(b => b.SliceStart);
        }
    }
}

/// <summary>
/// The detector's watermark: the last message it counted, since when it has observed, and up to which window the
/// baselines have learned. One row; on PostgreSQL the node that locks it (FOR UPDATE SKIP LOCKED) counts the next
/// batch, so two nodes never count a message twice.
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

    /// <summary>Every window that started before this is folded into the baselines.</summary>
    public DateTimeOffset? ClosedThrough { get; private set; }

    public DateTimeOffset? LastPrunedAt { get; private set; }

    public void Advance(long messageId, DateTimeOffset firstMessageAt, SpikeRule rule)
    {
        LastMessageId = Math.Max(LastMessageId, messageId);
        ObservedSince ??= firstMessageAt.ToUniversalTime();
        ClosedThrough ??= rule.BucketOf(firstMessageAt);
    }

    public void Close(DateTimeOffset through) => ClosedThrough = through.ToUniversalTime();

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeCursor>
    {
        public void Configure(EntityTypeBuilder<SpikeCursor> cursor)
        {
            cursor.Property(c => c.Id).ValueGeneratedNever();
            cursor.HasData(new { Id = SingletonId, LastMessageId = 0L });
        }
    }
}
