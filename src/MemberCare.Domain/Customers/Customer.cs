namespace MemberCare.Domain.Customers;

public enum CustomerTier
{
    Standard,
    Silver,
    Gold,
    Vip,
}

/// <summary>One person, whatever channels they write from.</summary>
public sealed class Customer
{
    private Customer()
    {
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public CustomerTier Tier { get; private set; }
    public decimal LifetimeValue { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The shop platform's customer id (Shopify's are 64-bit and exceed a double's exact range).</summary>
    public long? ShopId { get; private set; }

    public List<CustomerIdentity> Identities { get; private set; } = [];

    public static Customer Create(string? name, string? email, DateTimeOffset at)
    {
        var normalizedEmail = CustomerIdentity.NormalizeHandle(Channel.Email, email);
        var customer = new Customer
        {
            Name = string.IsNullOrWhiteSpace(name) ? normalizedEmail ?? "Unknown customer" : name.Trim(),
            Email = normalizedEmail,
            CreatedAt = at.ToUniversalTime(),
        };
        if (normalizedEmail is not null)
        {
            customer.Identities.Add(new CustomerIdentity(Channel.Email, normalizedEmail));
        }
        return customer;
    }

    /// <summary>Adds a channel handle unless the customer already has it; returns whether it was new.</summary>
    public bool AddIdentity(Channel channel, string handle)
    {
        var normalized = CustomerIdentity.NormalizeHandle(channel, handle)
            ?? throw new ArgumentException("A handle cannot be blank.", nameof(handle));
        if (Identities.Any(i => i.Channel == channel && i.Handle == normalized))
        {
            return false;
        }
        Identities.Add(new CustomerIdentity(channel, normalized));
        if (channel == Channel.Email && Email is null)
        {
            Email = normalized;
        }
        return true;
    }

    public void Rename(string name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            Name = name.Trim();
        }
    }

    public void LinkShopAccount(long shopId) => ShopId = shopId;

    public void SetPhone(string? phone) => Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();

    public void SetTier(CustomerTier tier) => Tier = tier;

    /// <summary>Lifetime value is the sum of the customer's orders that were neither cancelled nor returned.</summary>
    public void SetLifetimeValue(decimal value) => LifetimeValue = value < 0 ? 0 : value;

    /// <summary>Recomputes lifetime value from the customer's orders (orders of other customers are ignored).</summary>
    public void RecomputeLifetimeValue(IEnumerable<Orders.Order> orders) =>
        SetLifetimeValue(orders.Where(o => o.CustomerId == Id && Orders.Order.CountsTowardLifetimeValue(o.Status)).Sum(o => o.Total));
}

/// <summary>A customer's address on one channel: an e-mail address, an Instagram handle, a Facebook id.</summary>
public sealed class CustomerIdentity
{
    private CustomerIdentity()
    {
    }

    public CustomerIdentity(Channel channel, string handle)
    {
        Channel = channel;
        Handle = handle;
    }

    public long Id { get; private set; }
    public long CustomerId { get; private set; }
    public Channel Channel { get; private set; }
    public string Handle { get; private set; } = "";

    /// <summary>E-mail addresses and social handles compare case-insensitively; an @ before a handle is decoration.</summary>
    public static string? NormalizeHandle(Channel channel, string? handle)
    {
        if (string.IsNullOrWhiteSpace(handle))
        {
            return null;
        }
        var trimmed = handle.Trim();
        return channel switch
        {
            Channel.Email => trimmed.ToLowerInvariant(),
            Channel.Instagram or Channel.X => trimmed.TrimStart('@').ToLowerInvariant(),
            _ => trimmed,
        };
    }
}
