using MemberCare.Domain.Customers;
using MemberCare.Domain.Orders;
using MemberCare.Features.Import;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static MemberCare.Tests.Import.CsvFiles;

namespace MemberCare.Tests.Import;

public sealed class OrderImportTests
{
    private const string Shirt = "LIN-SHIRT-WHT-M,Linen Shirt,M,white,Lino Baltic UAB";
    private const string Scarf = "WOOL-SCARF-GRY-OS,Wool Scarf,OS,grey,Lanificio Ferro";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_rows_of_one_order_number_become_one_order_with_its_lines_carrier_and_times()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"#10001,2024-05-17T14:30:00+02:00,Kari@Example.com,Kari Nordmann,NOK,{Shirt},1,899.00,delivered,Posten,2024-05-18T09:00:00Z,2024-05-20T12:00:00Z",
            $"10002,2024-05-19,ola@example.com,Ola Hansen,,{Scarf},1,499,,,,",
            $"10001,,,,,{Scarf},2,499.00,,,,"));

        Assert.Equal(3, report.Accepted);
        Assert.Empty(report.Rejected);
        Assert.Equal("2 orders with 3 lines, 2 new customers; lifetime value recomputed for 2 customers", report.Stored);
        await using var db = await app.OpenDbAsync();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Number == "10001", Ct);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal("Posten", order.Carrier);
        Assert.Equal(new DateTimeOffset(2024, 5, 17, 12, 30, 0, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 18, 9, 0, 0, TimeSpan.Zero), order.ShippedAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 20, 12, 0, 0, TimeSpan.Zero), order.DeliveredAt);
        Assert.Equal(
            [("LIN-SHIRT-WHT-M", "Linen Shirt", "M", "white", "Lino Baltic UAB", 1, 899m), ("WOOL-SCARF-GRY-OS", "Wool Scarf", "OS", "grey", "Lanificio Ferro", 2, 499m)],
            order.Lines.OrderBy(l => l.Id).Select(l => (l.Sku, l.ProductName, l.Size!, l.Colour!, l.Supplier!, l.Quantity, l.UnitPrice)));
        var kari = await db.Customers.SingleAsync(c => c.Id == order.CustomerId, Ct);
        Assert.Equal(("Kari Nordmann", "kari@example.com", 1897m), (kari.Name, kari.Email, kari.LifetimeValue));
        var placed = await db.Orders.SingleAsync(o => o.Number == "10002", Ct);
        Assert.Equal((OrderStatus.Placed, "NOK"), (placed.Status, placed.Currency));
    }

    [Fact]
    public async Task Orders_of_a_known_customer_are_added_to_that_customer_and_recompute_the_lifetime_value()
    {
        await using var app = TestApp.Sqlite();
        await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, "Kari Nordmann,kari@example.com,,,,,gold"));
        await app.ImportAsync(ImportKind.Orders, Lines(OrderHeader, $"10001,2024-05-17,kari@example.com,,,{Shirt},2,899,,,,"));

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"10002,2024-06-01,KARI@example.com,Someone Else,,{Scarf},1,499,,,,",
            $"10003,2024-06-02,kari@example.com,,,{Shirt},1,899,cancelled,,,",
            $"10004,2024-06-03,kari@example.com,,,{Shirt},1,899,returned,Bring,2024-06-04,2024-06-05"));

        Assert.Empty(report.Rejected);
        await using var db = await app.OpenDbAsync();
        var kari = await db.Customers.SingleAsync(Ct);
        Assert.Equal(("Kari Nordmann", CustomerTier.Gold), (kari.Name, kari.Tier));
        Assert.Equal((2 * 899m) + 499m, kari.LifetimeValue);
        Assert.Equal(4, await db.Orders.CountAsync(o => o.CustomerId == kari.Id, Ct));
        Assert.Equal(OrderStatus.Returned, (await db.Orders.SingleAsync(o => o.Number == "10004", Ct)).Status);
    }

    [Theory]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,,Linen Shirt,M,white,,1,899,,,,", "sku: is required")]
    [InlineData(",2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "order_number: is required")]
    [InlineData("10001,,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "placed_at: is required on the first row of an order")]
    [InlineData("10001,17.05.2024,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "placed_at: '17.05.2024' is not an ISO 8601 date and time such as 2024-05-17T14:30:00+02:00")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,-2,899,,,,", "quantity: -2 is negative; it must be at least 1")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,0,899,,,,", "quantity: 0 is too small; it must be at least 1")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1.5,899,,,,", "quantity: '1.5' is not a whole number")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,12.5x,,,,", "unit_price: '12.5x' is not an amount such as 899.00")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,-10,,,,", "unit_price: -10 is negative")]
    [InlineData("10001,2024-05-17,kari-at-example,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "customer_email: 'kari-at-example' is not an e-mail address")]
    [InlineData("10001,2024-05-17,,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "customer_email: is required on the first row of an order")]
    [InlineData("10001,2024-05-17,kari@example.com,,N0K,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,", "currency: 'N0K' is not a three-letter currency code such as NOK")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,lost,,,", "status: 'lost' is not one of placed, shipped, delivered, cancelled, returned")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,shipped,Posten,,", "shipped_at: is required when status is shipped; shipped_at: is required when carrier is given")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,delivered,,2024-05-19,2024-05-18", "delivered_at: is before shipped_at")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,placed,,2024-05-18,", "status: is placed, but the order has shipped_at or delivered_at")]
    [InlineData("10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,", "the row has 15 fields, the header has 16 (is a field with a ',' missing its quotes?)")]
    public async Task A_bad_order_row_is_rejected_with_its_row_and_a_reason_naming_the_column(string row, string reason)
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines(OrderHeader, $"20001,2024-05-17,ola@example.com,Ola,NOK,{Scarf},1,499,,,,", row));

        Assert.Equal(1, report.Accepted);
        Assert.Equal([new RejectedRow(3, reason)], report.Rejected);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(["20001"], await db.Orders.Select(o => o.Number).ToListAsync(Ct));
        Assert.Single(await db.Customers.ToListAsync(Ct));
    }

    [Fact]
    public async Task Values_longer_than_the_database_holds_are_rejected()
    {
        await using var app = TestApp.Sqlite();
        var longName = new string('x', 201);
        var longNumber = new string('9', 65);

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"10001,2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,{longName},M,white,,1,899,,,,",
            $"{longNumber},2024-05-17,kari@example.com,,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,,1,899,,,,"));

        Assert.Equal(
            [
                new RejectedRow(2, "product_name: is 201 characters long; at most 200 are allowed"),
                new RejectedRow(3, "order_number: is 65 characters long; at most 64 are allowed"),
            ],
            report.Rejected);
    }

    [Fact]
    public async Task An_order_is_stored_whole_or_not_at_all()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"10001,2024-05-17,kari@example.com,,NOK,{Shirt},1,899,,,,",
            $"10002,2024-05-17,ola@example.com,,NOK,{Shirt},1,899,,,,",
            $"10001,,,,,{Scarf},-1,499,,,,",
            $"10001,2024-05-18,,,,{Scarf},1,499,,,,",
            $"10001,,,,,{Scarf},1,499,,,,"));

        Assert.Equal(1, report.Accepted);
        Assert.Equal(
            [
                new RejectedRow(2, "order_number: order 10001 is not imported because rows 4, 5 of it were rejected"),
                new RejectedRow(4, "quantity: -1 is negative; it must be at least 1"),
                new RejectedRow(5, "placed_at: differs from row 2, the first row of order 10001; an order has one placed_at"),
                new RejectedRow(6, "order_number: order 10001 is not imported because rows 4, 5 of it were rejected"),
            ],
            report.Rejected);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(["10002"], await db.Orders.Select(o => o.Number).ToListAsync(Ct));
        Assert.Equal(["ola@example.com"], await db.Customers.Select(c => c.Email!).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_row_that_cannot_be_read_takes_its_order_with_it()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"10001,2024-05-17,kari@example.com,,NOK,{Shirt},1,899,,,,",
            $"10001,,,,,WOOL-SCARF-GRY-OS,Wool Scarf, grey,OS,grey,,1,499,,,,"));

        Assert.Equal(0, report.Accepted);
        Assert.Equal(
            [
                new RejectedRow(2, "order_number: order 10001 is not imported because row 3 of it was rejected"),
                new RejectedRow(3, "the row has 17 fields, the header has 16 (is a field with a ',' missing its quotes?)"),
            ],
            report.Rejected);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Orders.AnyAsync(Ct));
    }

    [Fact]
    public async Task An_order_number_that_already_exists_is_rejected_and_the_stored_order_is_left_unchanged()
    {
        await using var app = TestApp.Sqlite();
        await app.ImportAsync(ImportKind.Orders, Lines(OrderHeader, $"10001,2024-05-17,kari@example.com,,NOK,{Shirt},1,899,,,,"));

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader,
            $"10001,2024-05-17,kari@example.com,,NOK,{Shirt},1,899,delivered,Posten,2024-05-18,2024-05-20",
            $"10001,,,,,{Scarf},1,499,,,,"));

        Assert.Equal(0, report.Accepted);
        Assert.Equal(
            [
                new RejectedRow(2, "order_number: order 10001 already exists; orders are imported once and never updated"),
                new RejectedRow(3, "order_number: order 10001 is not imported because row 2 of it was rejected"),
            ],
            report.Rejected);
        await using var db = await app.OpenDbAsync();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(Ct);
        Assert.Equal((OrderStatus.Placed, 1), (order.Status, order.Lines.Count));
    }

    [Fact]
    public async Task Semicolons_decimal_commas_a_byte_order_mark_and_quoted_fields_with_delimiters_and_newlines_are_read()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines(
            OrderHeader.Replace(',', ';'),
            "10001;2024-05-17 14:30;kari@example.com;\"Nordmann; Kari\";nok;LIN-SHIRT-WHT-M;\"Linen Shirt, white\";M;white;Lino Baltic UAB;1;\"1 299,50\";;;;",
            "10001;;;;;WOOL-SCARF-GRY-OS;\"Wool Scarf",
            "(gift wrapped)\";OS;grey;;1;499;;;;",
            "",
            "10002;2024-05-17;ola@example.com;;;ORG-TEE-WHT-M;Tee;M;white;;1;abc;;;;"), byteOrderMark: true);

        Assert.Equal(2, report.Accepted);
        Assert.Equal([new RejectedRow(5, "unit_price: 'abc' is not an amount such as 899.00")], report.Rejected);
        await using var db = await app.OpenDbAsync();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(Ct);
        Assert.Equal("NOK", order.Currency);
        Assert.Equal(new DateTimeOffset(2024, 5, 17, 14, 30, 0, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal([("Linen Shirt, white", 1299.50m), ("Wool Scarf\n(gift wrapped)", 499m)], order.Lines.OrderBy(l => l.Id).Select(l => (l.ProductName, l.UnitPrice)));
        Assert.Equal("Nordmann; Kari", (await db.Customers.SingleAsync(Ct)).Name);
    }

    [Fact]
    public async Task An_empty_file_and_a_header_only_file_store_nothing()
    {
        await using var app = TestApp.Sqlite();

        var empty = await app.ImportAsync(ImportKind.Orders, "\n\n", byteOrderMark: true);
        var headerOnly = await app.ImportAsync(ImportKind.Orders, Lines(OrderHeader));

        Assert.Equal([new RejectedRow(1, $"the file is empty; the first row must be the header: {OrderHeader}")], empty.Rejected);
        Assert.Equal((0, 0), (headerOnly.Accepted, headerOnly.Rejected.Count));
        Assert.Equal("0 orders with 0 lines, 0 new customers; lifetime value recomputed for 0 customers", headerOnly.Stored);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Orders.AnyAsync(Ct));
    }

    [Fact]
    public async Task A_header_missing_a_required_column_is_reported_on_row_1()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Orders, Lines("order_number,placed_at,customer_email,sku,product_name,quantity", "10001,2024-05-17,kari@example.com,A,B,1"));

        Assert.Equal([new RejectedRow(1, $"header: column 'unit_price' is missing; the columns are {OrderHeader}")], report.Rejected);
    }
}
