using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Channels;

/// <summary>
/// A channel's secret (a webhook signing secret, the IMAP password) as Data Protection ciphertext. The plain value
/// exists only in memory when a signature is checked or a mailbox is opened.
/// </summary>
public sealed class ChannelSecret
{
    private ChannelSecret()
    {
    }

    public ChannelSecret(string name, string protectedValue, string hint, string changedBy, DateTimeOffset at)
    {
        Name = name;
        Change(protectedValue, hint, changedBy, at);
    }

    public long Id { get; private set; }

    /// <summary>Which secret: "Meta:AppSecret", "X:ConsumerSecret", "Shopify:WebhookSecret", "Email:ImapPassword".</summary>
    public string Name { get; private set; } = "";

    public string ProtectedValue { get; private set; } = "";

    /// <summary>The last characters, for recognising the secret on the admin page without showing it.</summary>
    public string Hint { get; private set; } = "";

    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }

    public void Change(string protectedValue, string hint, string changedBy, DateTimeOffset at)
    {
        ProtectedValue = protectedValue;
        Hint = hint.Length > 8 ? hint[^8..] : hint;
        ChangedBy = changedBy.Length > 200 ? changedBy[..200] : changedBy;
        ChangedAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<ChannelSecret>
    {
        public void Configure(EntityTypeBuilder<ChannelSecret> secret)
        {
            secret.Property(s => s.Name).HasMaxLength(64);
            secret.Property(s => s.ProtectedValue).HasMaxLength(4000);
            secret.Property(s => s.Hint).HasMaxLength(8);
            secret.Property(s => s.ChangedBy).HasMaxLength(200);
            secret.HasIndex(s => s.Name).IsUnique();
        }
    }
}
