using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Spikes;

/// <summary>
/// The text pre-filter: one row per MinHash band key (with its concern) seen lately, keyed by a 64-bit hash. A band
/// becomes a signature in <see cref="SpikeBucket"/> only once it recurs, i.e. a second message shares it while the
/// first is still inside the sliding window; almost every band is seen once, so this costs one integer-keyed row per
/// band instead of a string-keyed slice row, a window sum and a share of every window's GROUP BY.
/// </summary>
public sealed class SpikeTextBand
{
    private SpikeTextBand()
    {
    }

    public long Key { get; private set; }

    /// <summary>The first message of the current run (messages with less than a window between them) and its slice.</summary>
    public long FirstId { get; private set; }

    public long FirstSlice { get; private set; }

    /// <summary>The slice of the run's latest message; the run is over when this slid out of the window.</summary>
    public long LastSlice { get; private set; }

    /// <summary>Messages in the current run; from the second on, the run's messages are counted in <see cref="SpikeBucket"/>.</summary>
    public int Hits { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeTextBand>
    {
        public void Configure(EntityTypeBuilder<SpikeTextBand> band)
        {
            band.HasKey(b => b.Key);
            band.Property(b => b.Key).ValueGeneratedNever();
            band.HasIndex(b => b.LastSlice);
        }
    }
}

/// <summary>
/// A message id the detector's watermark passed while the message was not visible (PostgreSQL allocates ids before
/// commit, so another node's transaction can commit a lower id after a higher one). Each pass looks for these ids
/// again, counts those that appeared, and forgets the rest after <c>Spikes:GapTimeout</c>.
/// </summary>
public sealed class SpikeGap
{
    private SpikeGap()
    {
    }

    public long MessageId { get; private set; }
    public DateTimeOffset NotedAt { get; private set; }

    public static SpikeGap Note(long messageId, DateTimeOffset at) => new() { MessageId = messageId, NotedAt = at.ToUniversalTime() };

    internal sealed class Mapping : IEntityTypeConfiguration<SpikeGap>
    {
        public void Configure(EntityTypeBuilder<SpikeGap> gap)
        {
            gap.HasKey(g => g.MessageId);
            gap.Property(g => g.MessageId).ValueGeneratedNever();
        }
    }
}
