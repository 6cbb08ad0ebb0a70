using System.Text.Json;
using System.Text.RegularExpressions;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using static MemberCare.Channels.Webhooks.WebhookJson;

namespace MemberCare.Channels.Shopify;

public sealed record ShopCustomer(long ShopId, string? Name, string? Email, string? Phone);

public sealed record ShopLine(string Sku, string ProductName, string? Size, string? Colour, string? Supplier, int Quantity, decimal UnitPrice);

public sealed record ShopOrder(long ShopId, string Number, string Currency, DateTimeOffset PlacedAt, ShopCustomer? Customer, string? Email,
    bool Cancelled, bool Fulfilled, string? Carrier, DateTimeOffset UpdatedAt, IReadOnlyList<ShopLine> Lines);

public sealed record ShopRefund(long ShopId, long OrderShopId, decimal Amount);

/// <summary>
/// Reads Shopify's REST webhook bodies and keeps customers and orders in step. Ids are read as 64-bit integers from
/// the number token itself: Shopify's exceed 2^53, where a double would round them.
/// </summary>
public static partial class ShopifyPayload
{
    private static readonly HashSet<string> s_sizes = new(StringComparer.OrdinalIgnoreCase)
    {
        "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL", "5XL", "ONE SIZE", "OS", "PETITE", "TALL",
    };

    public static WebhookWork Parse(string topic, byte[] body, DateTimeOffset now)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        RequireObject(root, "$");
        switch (topic)
        {
            case "orders/create" or "orders/updated":
                var order = ReadOrder(root, now);
                return new WebhookWork($"{topic}: order {order.Number}", [], (db, at, ct) => SyncOrderAsync(db, order, at, ct));
            case "customers/create" or "customers/update":
                var customer = ReadCustomer(root, "$");
                return new WebhookWork($"{topic}: customer {customer.ShopId}", [], async (db, at, ct) =>
                {
                    var synced = await SyncCustomerAsync(db, customer, null, at, ct);
                    return $"customer {synced.Id}";
                });
            case "refunds/create":
                var refund = ReadRefund(root);
                return new WebhookWork($"{topic}: refund {refund.ShopId} of order {refund.OrderShopId}", [], (db, _, ct) => SyncRefundAsync(db, refund, ct));
            default:
                return new WebhookWork($"{Shorten(topic)}: topic not handled, stored only", []);
        }
    }

    internal static ShopOrder ReadOrder(JsonElement root, DateTimeOffset now)
    {
        var shopId = PositiveId(root, "id", "$");
        var number = Text(root, "name", "$", 200) ?? OptionalInt64(root, "order_number", "$")?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? throw new WebhookPayloadException("'$.name' or '$.order_number' is required.");
        number = Order.NormalizeNumber(number);
        if (number.Length is 0 or > 64)
        {
            throw new WebhookPayloadException("'$.name' must be an order number of 1 to 64 characters.");
        }
        var currency = OptionalString(root, "currency", "$", 16)?.Trim() ?? "USD";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            throw new WebhookPayloadException($"'$.currency' must be a three-letter code, not '{Shorten(currency)}'.");
        }
        var customer = OptionalObject(root, "customer", "$") is { } c ? ReadCustomer(c, "$.customer") : null;
        var email = Text(root, "email", "$", 320) ?? Text(root, "contact_email", "$", 320);
        var lines = new List<ShopLine>();
        var items = WebhookJson.Array(root, "line_items", "$", required: true);
        for (var i = 0; i < items.Count; i++)
        {
            if (ReadLine(items[i], $"$.line_items[{i}]") is { } line)
            {
                lines.Add(line);
            }
        }
        var fulfillments = WebhookJson.Array(root, "fulfillments", "$", required: false);
        string? carrier = null;
        if (fulfillments.Count > 0)
        {
            RequireObject(fulfillments[0], "$.fulfillments[0]");
            carrier = Text(fulfillments[0], "tracking_company", "$.fulfillments[0]", 100);
        }
        return new ShopOrder(
            shopId, number, currency,
            OptionalIsoTime(root, "created_at", "$") ?? OptionalIsoTime(root, "processed_at", "$") ?? now,
            customer, email,
            Cancelled: OptionalIsoTime(root, "cancelled_at", "$") is not null,
            Fulfilled: OptionalString(root, "fulfillment_status", "$", 64) == "fulfilled",
            carrier,
            OptionalIsoTime(root, "updated_at", "$") ?? now,
            lines);
    }

    private static ShopLine? ReadLine(JsonElement item, string path)
    {
        RequireObject(item, path);
        var quantity = OptionalInt32(item, "current_quantity", path) ?? OptionalInt32(item, "quantity", path)
            ?? throw new WebhookPayloadException($"'{path}.quantity' is required.");
        if (quantity < 0)
        {
            throw new WebhookPayloadException($"'{path}.quantity' must not be negative.");
        }
        if (quantity == 0)
        {
            return null;
        }
        var lineId = OptionalInt64(item, "id", path);
        var sku = OptionalString(item, "sku", path, 64)?.Trim()
            ?? OptionalInt64(item, "variant_id", path)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? (lineId is { } id ? $"line-{id}" : throw new WebhookPayloadException($"'{path}.sku' or '{path}.id' is required."));
        var name = Text(item, "title", path, 200) ?? Text(item, "name", path, 200) ?? sku;
        var price = OptionalMoney(item, "price", path) ?? throw new WebhookPayloadException($"'{path}.price' is required.");
        var (size, colour) = Variant(item, path);
        return new ShopLine(sku, name, size, colour, Text(item, "vendor", path, 200), quantity, price);
    }

    /// <summary>
    /// Size and colour come from the line's properties when the shop names them, else from the variant title
    /// ("M / Black"): a part that looks like a size is the size, the first other part the colour.
    /// </summary>
    private static (string? Size, string? Colour) Variant(JsonElement item, string path)
    {
        string? size = null;
        string? colour = null;
        var properties = WebhookJson.Array(item, "properties", path, required: false);
        for (var p = 0; p < properties.Count; p++)
        {
            if (properties[p].ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var key = Text(properties[p], "name", $"{path}.properties[{p}]", 64)?.ToLowerInvariant();
            var value = properties[p].TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? Str(v, $"{path}.properties[{p}]", "value") : null;
            if (key is "size" or "størrelse")
            {
                size ??= Fit(value, 32);
            }
            else if (key is "color" or "colour" or "farge")
            {
                colour ??= Fit(value, 64);
            }
        }
        foreach (var part in (Text(item, "variant_title", path, 500) ?? "").Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (size is null && (s_sizes.Contains(part) || SizePattern().IsMatch(part)))
            {
                size = Fit(part, 32);
            }
            else if (colour is null && !s_sizes.Contains(part) && !SizePattern().IsMatch(part))
            {
                colour = Fit(part, 64);
            }
        }
        return (size, colour);
    }

    internal static ShopCustomer ReadCustomer(JsonElement customer, string path)
    {
        RequireObject(customer, path);
        var shopId = PositiveId(customer, "id", path);
        var first = Text(customer, "first_name", path, 100);
        var last = Text(customer, "last_name", path, 100);
        var name = string.Join(' ', new[] { first, last }.Where(n => n is not null));
        var email = Text(customer, "email", path, 320);
        if (email is not null && (email.Any(char.IsWhiteSpace) || email.IndexOf('@', StringComparison.Ordinal) is <= 0))
        {
            throw new WebhookPayloadException($"'{path}.email' is not an e-mail address.");
        }
        return new ShopCustomer(shopId, name.Length == 0 ? null : Fit(name, 200), email, Text(customer, "phone", path, 40));
    }

    private static ShopRefund ReadRefund(JsonElement root)
    {
        var shopId = PositiveId(root, "id", "$");
        var orderId = PositiveId(root, "order_id", "$");
        decimal amount = 0;
        var transactions = WebhookJson.Array(root, "transactions", "$", required: false);
        for (var t = 0; t < transactions.Count; t++)
        {
            var path = $"$.transactions[{t}]";
            RequireObject(transactions[t], path);
            var kind = OptionalString(transactions[t], "kind", path, 64);
            var status = OptionalString(transactions[t], "status", path, 64);
            if (kind is null or "refund" && status is null or "success")
            {
                amount += OptionalMoney(transactions[t], "amount", path) ?? 0;
            }
        }
        if (transactions.Count == 0)
        {
            var lines = WebhookJson.Array(root, "refund_line_items", "$", required: false);
            for (var l = 0; l < lines.Count; l++)
            {
                RequireObject(lines[l], $"$.refund_line_items[{l}]");
                amount += OptionalMoney(lines[l], "subtotal", $"$.refund_line_items[{l}]") ?? 0;
            }
        }
        if (amount > 999_999_999_999m)
        {
            throw new WebhookPayloadException("The refund's amounts add up to more than 999999999999.");
        }
        return new ShopRefund(shopId, orderId, amount);
    }

    internal static async Task<Customer> SyncCustomerAsync(MemberCareDb db, ShopCustomer shop, string? fallbackEmail, DateTimeOffset at, CancellationToken ct)
    {
        var email = CustomerIdentity.NormalizeHandle(Channel.Email, shop.Email ?? fallbackEmail);
        var customer = await db.Customers.Include(c => c.Identities).FirstOrDefaultAsync(c => c.ShopId == shop.ShopId, ct);
        if (customer is null && email is not null)
        {
            customer = await db.Customers.Include(c => c.Identities)
                .FirstOrDefaultAsync(c => c.ShopId == null && c.Identities.Any(i => i.Channel == Channel.Email && i.Handle == email), ct);
        }
        if (customer is null)
        {
            customer = Customer.Create(shop.Name, email, at);
            db.Customers.Add(customer);
        }
        else
        {
            if (shop.Name is not null)
            {
                customer.Rename(shop.Name);
            }
            if (email is not null && !await db.CustomerIdentities.AnyAsync(i => i.Channel == Channel.Email && i.Handle == email, ct))
            {
                customer.AddIdentity(Channel.Email, email);
            }
        }
        customer.LinkShopAccount(shop.ShopId);
        if (shop.Phone is not null)
        {
            customer.SetPhone(shop.Phone);
        }
        await db.SaveChangesAsync(ct);
        return customer;
    }

    private static async Task<string> SyncOrderAsync(MemberCareDb db, ShopOrder shop, DateTimeOffset at, CancellationToken ct)
    {
        if (shop.Customer is null && shop.Email is null)
        {
            return "not kept: the order names no customer";
        }
        // A guest checkout has no customer id; the e-mail address is the customer then.
        var customer = shop.Customer is { } known
            ? await SyncCustomerAsync(db, known, shop.Email, at, ct)
            : await GuestAsync(db, shop.Email!, at, ct);

        var order = await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.ShopId == shop.ShopId, ct)
            ?? await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.ShopId == null && o.Number == shop.Number, ct);
        var created = order is null;
        if (order is null)
        {
            order = Order.Place(shop.Number, customer.Id, shop.Currency, shop.PlacedAt);
            db.Orders.Add(order);
        }
        else
        {
            order.ChangeCurrency(shop.Currency);
            order.ClearLines();
        }
        order.LinkShopOrder(shop.ShopId);
        foreach (var line in shop.Lines)
        {
            order.AddLine(line.Sku, line.ProductName, line.Size, line.Colour, line.Supplier, line.Quantity, line.UnitPrice);
        }
        if (shop.Cancelled)
        {
            order.Cancel();
        }
        else if (shop.Fulfilled && order.Status == OrderStatus.Placed)
        {
            order.Ship(shop.Carrier, warehouse: null, shop.UpdatedAt);
        }
        await db.SaveChangesAsync(ct);
        return $"order {order.Id} {(created ? "created" : "updated")} for customer {customer.Id}, {shop.Lines.Count} line(s), {order.Status.ToString().ToLowerInvariant()}";
    }

    private static async Task<Customer> GuestAsync(MemberCareDb db, string email, DateTimeOffset at, CancellationToken ct)
    {
        var normalized = CustomerIdentity.NormalizeHandle(Channel.Email, email)!;
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Identities.Any(i => i.Channel == Channel.Email && i.Handle == normalized), ct);
        if (customer is null)
        {
            customer = Customer.Create(null, normalized, at);
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        return customer;
    }

    private static async Task<string> SyncRefundAsync(MemberCareDb db, ShopRefund refund, CancellationToken ct)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.ShopId == refund.OrderShopId, ct);
        if (order is null)
        {
            return $"not kept: order {refund.OrderShopId} is not known here";
        }
        order.Refund(refund.Amount);
        await db.SaveChangesAsync(ct);
        return $"order {order.Id} refunded {refund.Amount} (total {order.RefundedAmount})";
    }

    private static long PositiveId(JsonElement parent, string name, string path)
    {
        var id = RequiredLong(parent, name, path);
        return id > 0 ? id : throw new WebhookPayloadException($"'{path}.{name}' must be a positive id.");
    }

    private static string? Fit(string? value, int max)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > max ? trimmed[..max] : trimmed;
    }

    [GeneratedRegex(@"^(EU|UK|US|W|L)?\s?\d{1,3}([.,]5)?(/\d{1,3})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
