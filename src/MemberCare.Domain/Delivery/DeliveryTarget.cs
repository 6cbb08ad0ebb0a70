using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Delivery;

/// <summary>How a message leaves MemberCare for another system.</summary>
public enum DeliveryKind
{
    /// <summary>An HTTP POST signed per the Standard Webhooks spec.</summary>
    Webhook,

    /// <summary>An e-mail over SMTP; the address is the recipient.</summary>
    Email,

    /// <summary>A Slack-compatible incoming-webhook message.</summary>
    Slack,

    /// <summary>A reply through Meta's Graph API (Facebook, Instagram, Messenger); the base URL is configured.</summary>
    MetaGraph,

    /// <summary>A reply through X's API; the base URL is configured.</summary>
    XApi,
}

/// <summary>
/// A place outbound messages go: a department's webhook, mailbox or Slack channel. The secret (a webhook signing
/// key) is kept only as Data Protection ciphertext.
/// </summary>
public sealed class DeliveryTarget
{
    public const int MaxAddressLength = 2000;

    private DeliveryTarget()
    {
    }

    public DeliveryTarget(string name, DeliveryKind kind, string address, string? protectedSecret)
    {
        Name = name;
        Change(kind, address, protectedSecret);
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public DeliveryKind Kind { get; private set; }

    /// <summary>A URL for webhooks and Slack, an e-mail address for e-mail.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The signing secret, protected with ASP.NET Core Data Protection; never shown back in full.</summary>
    public string? ProtectedSecret { get; private set; }

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A name is 1 to 100 characters.", nameof(name));
        }
        Name = name;
    }

    public void Change(DeliveryKind kind, string address, string? protectedSecret)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > MaxAddressLength)
        {
            throw new ArgumentException($"An address is 1 to {MaxAddressLength} characters.", nameof(address));
        }
        Kind = kind;
        Address = address.Trim();
        ProtectedSecret = protectedSecret;
    }

    internal sealed class Mapping : IEntityTypeConfiguration<DeliveryTarget>
    {
        public void Configure(EntityTypeBuilder<DeliveryTarget> target)
        {
            target.Property(t => t.Name).HasMaxLength(100);
            target.Property(t => t.Address).HasMaxLength(MaxAddressLength);
            target.Property(t => t.ProtectedSecret).HasMaxLength(4000);
        }
    }
}
