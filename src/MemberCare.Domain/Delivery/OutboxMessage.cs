using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Delivery;

public enum OutboxStatus
{
    Pending,
    Delivered,

    /// <summary>Retries are used up; it waits in the dead-letter view for a manual retry.</summary>
    Dead,
}

/// <summary>
/// One outbound message, written in the same transaction as the state change it announces and delivered later by a
/// worker that claims it from the database. The webhook id is fixed at creation, so every retry carries the same id
/// and a receiver can drop duplicates.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxBodyLength = 256 * 1024;
    public const int MaxErrorLength = 1000;

    private OutboxMessage()
    {
    }

    public OutboxMessage(long targetId, string eventType, string? subject, string body, DateTimeOffset now, long? messageId = null)
    {
        if (string.IsNullOrWhiteSpace(eventType) || eventType.Length > 64)
        {
            throw new ArgumentException("An event type is 1 to 64 characters.", nameof(eventType));
        }
        if (body.Length > MaxBodyLength)
        {
            throw new ArgumentException($"An outbound body is at most {MaxBodyLength} characters.", nameof(body));
        }
        TargetId = targetId;
        EventType = eventType;
        Subject = subject is { Length: > 200 } ? subject[..200] : subject;
        Body = body;
        WebhookId = "msg_" + Guid.CreateVersion7(now).ToString("N");
        CreatedAt = now.ToUniversalTime();
        NextAttemptAt = CreatedAt;
        MessageId = messageId;
    }

    public long Id { get; private set; }
    public string WebhookId { get; private set; } = "";
    public long TargetId { get; private set; }
    public string EventType { get; private set; } = "";
    public string? Subject { get; private set; }
    public string Body { get; private set; } = "";
    public OutboxStatus Status { get; private set; } = OutboxStatus.Pending;
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The conversation message this delivers (an agent's reply to a platform), whose delivery status follows it.</summary>
    public long? MessageId { get; private set; }

    /// <summary>Which worker holds the row; the lease below ends the claim of a worker that crashed.</summary>
    public string? ClaimToken { get; private set; }

    public DateTimeOffset? ClaimedUntil { get; private set; }

    public void Delivered(DateTimeOffset now)
    {
        Attempts++;
        Release();
        Status = OutboxStatus.Delivered;
        DeliveredAt = now.ToUniversalTime();
        LastError = null;
    }

    /// <summary>A failed attempt: try again at <paramref name="retryAt"/>, or give up when it is null.</summary>
    public void Failed(string error, DateTimeOffset? retryAt)
    {
        Attempts++;
        Release();
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        if (retryAt is { } at)
        {
            NextAttemptAt = at.ToUniversalTime();
        }
        else
        {
            Status = OutboxStatus.Dead;
        }
    }

    /// <summary>An operator's retry from the dead-letter view: the same webhook id, attempts counted afresh.</summary>
    public void Retry(DateTimeOffset now)
    {
        if (Status != OutboxStatus.Dead)
        {
            throw new InvalidOperationException("Only a dead message can be retried by hand.");
        }
        Status = OutboxStatus.Pending;
        Attempts = 0;
        Release();
        NextAttemptAt = now.ToUniversalTime();
    }

    private void Release()
    {
        ClaimToken = null;
        ClaimedUntil = null;
    }

    internal sealed class Mapping : IEntityTypeConfiguration<OutboxMessage>
    {
        public void Configure(EntityTypeBuilder<OutboxMessage> message)
        {
            message.Property(m => m.WebhookId).HasMaxLength(40);
            message.Property(m => m.EventType).HasMaxLength(64);
            message.Property(m => m.Subject).HasMaxLength(200);
            message.Property(m => m.LastError).HasMaxLength(MaxErrorLength);
            message.HasIndex(m => m.WebhookId).IsUnique();
            message.Property(m => m.ClaimToken).HasMaxLength(32);
            message.HasIndex(m => new { m.Status, m.NextAttemptAt });
            message.HasIndex(m => m.ClaimToken);
            message.HasIndex(m => m.MessageId);
            message.HasOne<DeliveryTarget>().WithMany().HasForeignKey(m => m.TargetId).OnDelete(DeleteBehavior.Restrict);
        }
    }
}
