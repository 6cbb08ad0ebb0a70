using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Reviews;

/// <summary>A site review taken in as a message on the reviews channel, with what the shop's export says about it.</summary>
public sealed class Review
{
    private Review()
    {
    }

    public long Id { get; private set; }

    /// <summary>The shop's review id; unique, so importing the same file twice stores each review once.</summary>
    public string ReviewKey { get; private set; } = "";
    public long MessageId { get; private set; }
    public int Rating { get; private set; }
    public string? Sku { get; private set; }
    public string? Reviewer { get; private set; }

    /// <summary>A low rating: the case was raised to high priority for care to answer.</summary>
    public bool Flagged { get; private set; }
    public DateTimeOffset ImportedAt { get; private set; }

    public static Review Create(string reviewKey, long messageId, int rating, string? sku, string? reviewer, bool flagged, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rating, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rating, 5);
        return new Review
        {
            ReviewKey = reviewKey,
            MessageId = messageId,
            Rating = rating,
            Sku = sku,
            Reviewer = reviewer,
            Flagged = flagged,
            ImportedAt = at.ToUniversalTime(),
        };
    }

    internal sealed class Mapping : IEntityTypeConfiguration<Review>
    {
        public void Configure(EntityTypeBuilder<Review> review)
        {
            review.Property(r => r.ReviewKey).HasMaxLength(128);
            review.Property(r => r.Sku).HasMaxLength(64);
            review.Property(r => r.Reviewer).HasMaxLength(200);
            review.HasIndex(r => r.ReviewKey).IsUnique();
            review.HasIndex(r => r.MessageId);
            review.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
