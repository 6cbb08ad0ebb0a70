using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Import;

/// <summary>
/// orders.csv: one row per order line; the rows of one order_number form one order, stored whole or not at all.
/// Order-level columns are given on the order's first row and may be repeated (identically) or left empty on
/// the others. An order number that is already stored is rejected: orders are imported once, never updated.
/// </summary>
internal static class OrderFile
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "order_number", "placed_at", "customer_email", "customer_name", "currency", "sku", "product_name", "size", "colour",
        "supplier", "quantity", "unit_price", "status", "carrier", "shipped_at", "delivered_at",
    ];

    public static IReadOnlyList<string> RequiredColumns { get; } =
        ["order_number", "placed_at", "customer_email", "sku", "product_name", "quantity", "unit_price"];

    private static readonly string[] s_orderColumns = ["placed_at", "customer_email", "customer_name", "currency", "status", "carrier", "shipped_at", "delivered_at"];

    private static readonly Dictionary<string, OrderStatus> s_statuses = new(StringComparer.Ordinal)
    {
        ["placed"] = OrderStatus.Placed,
        ["shipped"] = OrderStatus.Shipped,
        ["delivered"] = OrderStatus.Delivered,
        ["cancelled"] = OrderStatus.Cancelled,
        ["returned"] = OrderStatus.Returned,
    };

    private sealed record LineRow(
        RowCheck Check,
        string? Number,
        DateTimeOffset? PlacedAt,
        string? Email,
        string? CustomerName,
        string? Currency,
        string? Sku,
        string? ProductName,
        string? Size,
        string? Colour,
        string? Supplier,
        int? Quantity,
        decimal? UnitPrice,
        OrderStatus? Status,
        string? Carrier,
        DateTimeOffset? ShippedAt,
        DateTimeOffset? DeliveredAt);

    public static async Task<ImportOutcome> ImportAsync(MemberCareDb db, CsvSheet sheet, CancellationToken ct)
    {
        var rejected = sheet.Unreadable.Select(u => new RejectedRow(u.Record.Row, u.Reason)).ToList();
        // An unreadable row may still name its order; that order is then not stored without it.
        var unreadable = sheet.Unreadable
            .Select(u => (u.Record.Row, Number: sheet.Value(u.Record, "order_number")))
            .Where(u => u.Number is not null)
            .ToLookup(u => Order.NormalizeNumber(u.Number!), u => u.Row, StringComparer.Ordinal);

        var lines = sheet.Records.Select(r => Parse(db, new RowCheck(sheet, r))).ToList();
        foreach (var line in lines.Where(l => l.Number is null))
        {
            rejected.Add(new RejectedRow(line.Check.Row, line.Check.Reason));
        }

        var orders = lines.Where(l => l.Number is not null).GroupBy(l => l.Number!, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var numbers = orders.Select(o => o[0].Number!).ToList();
        var existing = (await db.Orders.Where(o => numbers.Contains(o.Number)).Select(o => o.Number).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var good = new List<(List<LineRow> Rows, LineRow Head)>();
        foreach (var rows in orders)
        {
            var number = rows[0].Number!;
            var head = OrderValues(rows);
            if (!s_orderColumns.Any(head.Check.Mentions))
            {
                CheckOrder(head);
            }
            if (existing.Contains(number))
            {
                head.Check.Problem("order_number", $"order {number} already exists; orders are imported once and never updated");
            }
            var bad = rows.Where(r => !r.Check.IsValid).Select(r => r.Check.Row).Concat(unreadable[number]).Order().ToList();
            if (bad.Count == 0)
            {
                good.Add((rows, head));
                continue;
            }
            foreach (var row in rows)
            {
                var reason = row.Check.IsValid
                    ? $"order_number: order {number} is not imported because {(bad.Count == 1 ? "row" : "rows")} {string.Join(", ", bad)} of it {(bad.Count == 1 ? "was" : "were")} rejected"
                    : row.Check.Reason;
                rejected.Add(new RejectedRow(row.Check.Row, reason));
            }
        }

        var emails = good.Select(o => o.Head.Email!).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.CustomerIdentities
            .Where(i => i.Channel == Channel.Email && emails.Contains(i.Handle))
            .Select(i => new { i.Handle, i.CustomerId })
            .ToDictionaryAsync(i => i.Handle, i => i.CustomerId, StringComparer.Ordinal, ct);
        var newCustomers = good
            .Where(o => !known.ContainsKey(o.Head.Email!))
            .GroupBy(o => o.Head.Email!, StringComparer.Ordinal)
            .Select(g => Customer.Create(g.Select(o => o.Head.CustomerName).FirstOrDefault(n => n is not null), g.Key, g.Min(o => o.Head.PlacedAt!.Value)))
            .ToList();
        db.Customers.AddRange(newCustomers);
        await db.SaveChangesAsync(ct);
        foreach (var customer in newCustomers)
        {
            known[customer.Email!] = customer.Id;
        }

        foreach (var (rows, head) in good)
        {
            db.Orders.Add(Build(rows, head, known[head.Email!]));
        }
        await db.SaveChangesAsync(ct);

        var customerIds = good.Select(o => known[o.Head.Email!]).Distinct().ToList();
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToListAsync(ct);
        var theirOrders = (await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => customerIds.Contains(o.CustomerId)).ToListAsync(ct)).ToLookup(o => o.CustomerId);
        foreach (var customer in customers)
        {
            customer.RecomputeLifetimeValue(theirOrders[customer.Id]);
        }
        await db.SaveChangesAsync(ct);

        var accepted = good.Sum(o => o.Rows.Count);
        return new ImportOutcome(accepted, rejected,
            $"{ShopImport.Count(good.Count, "order")} with {ShopImport.Count(accepted, "line")}, {ShopImport.Count(newCustomers.Count, "new customer")}; lifetime value recomputed for {ShopImport.Count(customers.Count, "customer")}");
    }

    private static LineRow Parse(MemberCareDb db, RowCheck check)
    {
        var number = check.Text("order_number", ShopImport.MaxLength<Order>(db, nameof(Order.Number)), required: true);
        if (number is not null && Order.NormalizeNumber(number).Length == 0)
        {
            check.Problem("order_number", $"'{number}' holds no number");
            number = null;
        }
        var currency = check.Text("currency", 3);
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
        {
            check.Problem("currency", $"'{currency}' is not a three-letter currency code such as NOK");
        }
        return new LineRow(
            check,
            number is null ? null : Order.NormalizeNumber(number),
            check.Time("placed_at"),
            CustomerIdentity.NormalizeHandle(Channel.Email, check.Email("customer_email", ShopImport.MaxLength<CustomerIdentity>(db, nameof(CustomerIdentity.Handle)))),
            check.Text("customer_name", ShopImport.MaxLength<Customer>(db, nameof(Customer.Name))),
            currency?.ToUpperInvariant(),
            check.Text("sku", ShopImport.MaxLength<OrderLine>(db, nameof(OrderLine.Sku)), required: true),
            check.Text("product_name", ShopImport.MaxLength<OrderLine>(db, nameof(OrderLine.ProductName)), required: true),
            check.Text("size", ShopImport.MaxLength<OrderLine>(db, nameof(OrderLine.Size))),
            check.Text("colour", ShopImport.MaxLength<OrderLine>(db, nameof(OrderLine.Colour))),
            check.Text("supplier", ShopImport.MaxLength<OrderLine>(db, nameof(OrderLine.Supplier))),
            check.WholeNumber("quantity", 1, required: true),
            check.Money("unit_price", required: true),
            check.Choice("status", s_statuses),
            check.Text("carrier", ShopImport.MaxLength<Order>(db, nameof(Order.Carrier))),
            check.Time("shipped_at"),
            check.Time("delivered_at"));
    }

    /// <summary>
    /// The order-level values of an order: its first row's, which the other rows may repeat or leave empty.
    /// A row that states a different value is wrong, and so is a first row that leaves a required one out.
    /// </summary>
    private static LineRow OrderValues(List<LineRow> rows)
    {
        var head = rows[0];
        var first = head.Check;
        if (head.PlacedAt is null && !first.Mentions("placed_at"))
        {
            first.Problem("placed_at", "is required on the first row of an order");
        }
        if (head.Email is null && !first.Mentions("customer_email"))
        {
            first.Problem("customer_email", "is required on the first row of an order");
        }
        foreach (var row in rows.Skip(1))
        {
            var differs = new (string Column, bool Differs)[]
            {
                ("placed_at", row.PlacedAt is not null && row.PlacedAt != head.PlacedAt),
                ("customer_email", row.Email is not null && row.Email != head.Email),
                ("customer_name", row.CustomerName is not null && row.CustomerName != head.CustomerName),
                ("currency", row.Currency is not null && row.Currency != head.Currency),
                ("status", row.Status is not null && row.Status != head.Status),
                ("carrier", row.Carrier is not null && row.Carrier != head.Carrier),
                ("shipped_at", row.ShippedAt is not null && row.ShippedAt != head.ShippedAt),
                ("delivered_at", row.DeliveredAt is not null && row.DeliveredAt != head.DeliveredAt),
            };
            foreach (var (column, _) in differs.Where(d => d.Differs))
            {
                row.Check.Problem(column, $"differs from row {first.Row}, the first row of order {head.Number}; an order has one {column}");
            }
        }
        return head;
    }

    private static void CheckOrder(LineRow head)
    {
        var check = head.Check;
        var status = head.Status ?? (head.DeliveredAt is not null ? OrderStatus.Delivered : head.ShippedAt is not null ? OrderStatus.Shipped : OrderStatus.Placed);
        if (status == OrderStatus.Placed && (head.ShippedAt ?? head.DeliveredAt) is not null)
        {
            check.Problem("status", "is placed, but the order has shipped_at or delivered_at");
        }
        if (status == OrderStatus.Shipped && head.ShippedAt is null)
        {
            check.Problem("shipped_at", "is required when status is shipped");
        }
        if (status == OrderStatus.Shipped && head.DeliveredAt is not null)
        {
            check.Problem("delivered_at", "is given, but status is shipped");
        }
        if (status == OrderStatus.Delivered && head.DeliveredAt is null)
        {
            check.Problem("delivered_at", "is required when status is delivered");
        }
        if (head.Carrier is not null && head.ShippedAt is null)
        {
            check.Problem("shipped_at", "is required when carrier is given");
        }
        if (head.ShippedAt < head.PlacedAt)
        {
            check.Problem("shipped_at", "is before placed_at");
        }
        if (head.DeliveredAt < (head.ShippedAt ?? head.PlacedAt))
        {
            check.Problem("delivered_at", head.ShippedAt is null ? "is before placed_at" : "is before shipped_at");
        }
    }

    private static Order Build(List<LineRow> rows, LineRow head, long customerId)
    {
        var order = Order.Place(head.Number!, customerId, head.Currency ?? "NOK", head.PlacedAt!.Value);
        foreach (var row in rows)
        {
            order.AddLine(row.Sku!, row.ProductName!, row.Size, row.Colour, row.Supplier, row.Quantity!.Value, row.UnitPrice!.Value);
        }
        if (head.ShippedAt is { } shippedAt)
        {
            order.Ship(head.Carrier, null, shippedAt);
        }
        if (head.DeliveredAt is { } deliveredAt)
        {
            order.Deliver(deliveredAt);
        }
        if (head.Status == OrderStatus.Cancelled)
        {
            order.Cancel();
        }
        else if (head.Status == OrderStatus.Returned)
        {
            order.MarkReturned();
        }
        return order;
    }
}
