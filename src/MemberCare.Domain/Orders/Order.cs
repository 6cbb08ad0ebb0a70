namespace MemberCare.Domain.Orders;

public enum OrderStatus
{
    Placed,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

/// <summary>An order from the shop platform, with the lines care and the departments talk about.</summary>
public sealed class Order
{
    private Order()
    {
    }

    public long Id { get; private set; }
    public string Number { get; private set; } = "";
    public long CustomerId { get; private set; }
    public OrderStatus Status { get; private set; }
    public string Currency { get; private set; } = "NOK";
    public DateTimeOffset PlacedAt { get; private set; }
    public DateTimeOffset? ShippedAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset? PromisedBy { get; private set; }
    public string? Carrier { get; private set; }
    public string? Warehouse { get; private set; }
    public List<OrderLine> Lines { get; private set; } = [];

    /// <summary>The shop platform's order id (Shopify's are 64-bit and exceed a double's exact range).</summary>
    public long? ShopId { get; private set; }

    public decimal RefundedAmount { get; private set; }

    public decimal Total => Lines.Sum(l => l.UnitPrice * l.Quantity);

    /// <summary>Cancelled and returned orders were paid back, so they add nothing to a customer's lifetime value.</summary>
    public static bool CountsTowardLifetimeValue(OrderStatus status) => status is not (OrderStatus.Cancelled or OrderStatus.Returned);

    public static Order Place(string number, long customerId, string currency, DateTimeOffset placedAt)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            throw new ArgumentException("An order needs a number.", nameof(number));
        }
        return new Order
        {
            Number = NormalizeNumber(number),
            CustomerId = customerId,
            Currency = string.IsNullOrWhiteSpace(currency) ? "NOK" : currency.Trim().ToUpperInvariant(),
            PlacedAt = placedAt.ToUniversalTime(),
            Status = OrderStatus.Placed,
        };
    }

    /// <summary>Customers write "#10234", "ordre 10234" or "10234"; the number itself is what we store.</summary>
    public static string NormalizeNumber(string number) => number.Trim().TrimStart('#').Trim();

    public OrderLine AddLine(string sku, string productName, string? size, string? colour, string? supplier, int quantity, decimal unitPrice)
    {
        var line = new OrderLine(sku, productName, size, colour, supplier, quantity, unitPrice);
        Lines.Add(line);
        return line;
    }

    public void LinkShopOrder(long shopId) => ShopId = shopId;

    /// <summary>The shop platform sends the whole order on every update; its lines replace ours.</summary>
    public void ClearLines() => Lines.Clear();

    public void ChangeCurrency(string currency)
    {
        if (!string.IsNullOrWhiteSpace(currency))
        {
            Currency = currency.Trim().ToUpperInvariant();
        }
    }

    public void Refund(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        RefundedAmount += amount;
    }

    public void Ship(string? carrier, string? warehouse, DateTimeOffset at, DateTimeOffset? promisedBy = null)
    {
        Status = OrderStatus.Shipped;
        Carrier = carrier;
        Warehouse = warehouse;
        ShippedAt = at.ToUniversalTime();
        PromisedBy = promisedBy?.ToUniversalTime();
    }

    public void Deliver(DateTimeOffset at)
    {
        Status = OrderStatus.Delivered;
        DeliveredAt = at.ToUniversalTime();
    }

    public void Cancel() => Status = OrderStatus.Cancelled;

    public void MarkReturned() => Status = OrderStatus.Returned;
}

public sealed class OrderLine
{
    private OrderLine()
    {
    }

    internal OrderLine(string sku, string productName, string? size, string? colour, string? supplier, int quantity, decimal unitPrice)
    {
        if (string.IsNullOrWhiteSpace(sku))
        {
            throw new ArgumentException("An order line needs a SKU.", nameof(sku));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        ArgumentOutOfRangeException.ThrowIfNegative(unitPrice);
        Sku = sku.Trim();
        ProductName = productName.Trim();
        Size = string.IsNullOrWhiteSpace(size) ? null : size.Trim();
        Colour = string.IsNullOrWhiteSpace(colour) ? null : colour.Trim();
        Supplier = string.IsNullOrWhiteSpace(supplier) ? null : supplier.Trim();
        Quantity = quantity;
        UnitPrice = unitPrice;
    }

    public long Id { get; private set; }
    public long OrderId { get; private set; }
    public string Sku { get; private set; } = "";
    public string ProductName { get; private set; } = "";
    public string? Size { get; private set; }
    public string? Colour { get; private set; }
    public string? Supplier { get; private set; }
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
}
