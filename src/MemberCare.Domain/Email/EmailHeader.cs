using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Email;

/// <summary>
/// The threading headers of one e-mail, received or sent: its Message-ID, the thread it joined and what it
/// referenced. A later mail naming this Message-ID in In-Reply-To or References joins the same thread; a reply
/// we send takes its In-Reply-To and References from here.
/// </summary>
public sealed class EmailHeader
{
    public const int MaxIdLength = 200;
    public const int MaxReferencesLength = 8000;

    private EmailHeader()
    {
    }

    public long Id { get; private set; }

    /// <summary>The Message-ID without angle brackets; unique.</summary>
    public string MessageIdHeader { get; private set; } = "";

    /// <summary>The conversation's thread key: the Message-ID of the mail that started the thread.</summary>
    public string ThreadKey { get; private set; } = "";

    /// <summary>The stored message this header belongs to.</summary>
    public long MessageId { get; private set; }

    /// <summary>The sender's address, lower case; for the fallback on subject and sender.</summary>
    public string Sender { get; private set; } = "";

    /// <summary>The subject without Re:, Sv:, Fwd: and the like, lower case.</summary>
    public string? ThreadSubject { get; private set; }

    /// <summary>The References chain as sent, space-separated ids without brackets, ending with this mail's own id.</summary>
    public string References { get; private set; } = "";

    public bool Outbound { get; private set; }
    public DateTimeOffset At { get; private set; }

    public static EmailHeader Create(string messageIdHeader, string threadKey, long messageId, string sender, string? threadSubject, string references, bool outbound, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(messageIdHeader) || messageIdHeader.Length > MaxIdLength)
        {
            throw new ArgumentException($"A Message-ID is 1 to {MaxIdLength} characters.", nameof(messageIdHeader));
        }
        return new EmailHeader
        {
            MessageIdHeader = messageIdHeader,
            ThreadKey = threadKey.Length > MaxIdLength ? threadKey[..MaxIdLength] : threadKey,
            MessageId = messageId,
            Sender = sender.Length > 320 ? sender[..320] : sender,
            ThreadSubject = threadSubject is { Length: > 200 } ? threadSubject[..200] : threadSubject,
            References = FitReferences(references),
            Outbound = outbound,
            At = at.ToUniversalTime(),
        };
    }

    /// <summary>Keeps the first id (the thread's root) and as many of the newest as fit, as RFC 5322 suggests.</summary>
    public static string FitReferences(string references)
    {
        if (references.Length <= MaxReferencesLength)
        {
            return references;
        }
        var ids = references.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string> { ids[0] };
        var length = ids[0].Length;
        foreach (var id in ids.Skip(1).Reverse())
        {
            if (length + id.Length + 1 > MaxReferencesLength)
            {
                break;
            }
            kept.Insert(1, id);
            length += id.Length + 1;
        }
        return string.Join(' ', kept);
    }

    internal sealed class Mapping : IEntityTypeConfiguration<EmailHeader>
    {
        public void Configure(EntityTypeBuilder<EmailHeader> header)
        {
            header.Property(h => h.MessageIdHeader).HasMaxLength(MaxIdLength);
            header.Property(h => h.ThreadKey).HasMaxLength(MaxIdLength);
            header.Property(h => h.Sender).HasMaxLength(320);
            header.Property(h => h.ThreadSubject).HasMaxLength(200);
            header.Property(h => h.References).HasMaxLength(MaxReferencesLength);
            header.HasIndex(h => h.MessageIdHeader).IsUnique();
            header.HasIndex(h => new { h.Sender, h.ThreadSubject, h.At });
            header.HasIndex(h => h.MessageId);
            header.HasOne<Message>().WithMany().HasForeignKey(h => h.MessageId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
