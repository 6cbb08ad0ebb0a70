using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Features.Import;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static MemberCare.Tests.Import.CsvFiles;

namespace MemberCare.Tests.Import;

public sealed class CustomerImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_customers_are_stored_with_their_identities_phone_and_tier()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines(
            CustomerHeader,
            "Kari Nordmann,Kari.Nordmann@Example.com,+47 912 34 567,@kari.styles,100004512345678,@kari_n,gold",
            "Ola Hansen,ola@example.com,,,,,"));

        Assert.Equal(2, report.Accepted);
        Assert.Empty(report.Rejected);
        Assert.Equal("2 new customers, 0 existing customers updated", report.Stored);
        await using var db = await app.OpenDbAsync();
        var kari = await db.Customers.Include(c => c.Identities).SingleAsync(c => c.Name == "Kari Nordmann", Ct);
        Assert.Equal("kari.nordmann@example.com", kari.Email);
        Assert.Equal("+47 912 34 567", kari.Phone);
        Assert.Equal(CustomerTier.Gold, kari.Tier);
        Assert.Equal(
            [(Channel.Email, "kari.nordmann@example.com"), (Channel.Phone, "+47 912 34 567"), (Channel.Instagram, "kari.styles"), (Channel.Facebook, "100004512345678"), (Channel.X, "kari_n")],
            kari.Identities.OrderBy(i => i.Id).Select(i => (i.Channel, i.Handle)));
        var ola = await db.Customers.SingleAsync(c => c.Name == "Ola Hansen", Ct);
        Assert.Equal(CustomerTier.Standard, ola.Tier);
    }

    [Fact]
    public async Task A_row_sharing_an_email_or_a_handle_with_a_known_customer_updates_that_customer()
    {
        await using var app = TestApp.Sqlite();
        await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, "Kari Nordmann,kari@example.com,,,,,silver"));

        var report = await app.ImportAsync(ImportKind.Customers, Lines(
            CustomerHeader,
            "Kari Nordmann-Berg,KARI@example.com,,kari.styles,,,",
            "Kari N.,,+47 912 34 567,@Kari.Styles,,,vip",
            "Per Olsen,,,per.olsen,,,"));

        Assert.Equal(3, report.Accepted);
        Assert.Empty(report.Rejected);
        Assert.Equal("1 new customer, 1 existing customer updated", report.Stored);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(2, await db.Customers.CountAsync(Ct));
        var kari = await db.Customers.Include(c => c.Identities).SingleAsync(c => c.Email == "kari@example.com", Ct);
        Assert.Equal("Kari N.", kari.Name);
        Assert.Equal(CustomerTier.Vip, kari.Tier);
        Assert.Equal("+47 912 34 567", kari.Phone);
        Assert.Equal(3, kari.Identities.Count);
        Assert.Single(kari.Identities, i => i.Channel == Channel.Instagram);
    }

    [Fact]
    public async Task A_row_whose_identities_belong_to_two_customers_is_rejected_and_changes_neither()
    {
        await using var app = TestApp.Sqlite();
        await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, "Kari Nordmann,kari@example.com,,,,,", "Kari Berg,,,kari.berg,,,"));

        var report = await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, "Kari,kari@example.com,,kari.berg,,,vip"));

        Assert.Equal(0, report.Accepted);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(2, rejected.Row);
        Assert.Matches(@"^email, instagram: email kari@example.com belongs to customer \d+ \(Kari Nordmann\), instagram kari.berg belongs to customer \d+ \(Kari Berg\); one row cannot merge two customers$", rejected.Reason);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Customers.AnyAsync(c => c.Tier == CustomerTier.Vip || c.Name == "Kari", Ct));
    }

    [Theory]
    [InlineData(",kari@example.com,,,,,", "name: is required")]
    [InlineData("Kari,kari(at)example.com,,,,,", "email: 'kari(at)example.com' is not an e-mail address")]
    [InlineData("Kari,kari@example.com,,,,,platinum", "tier: 'platinum' is not one of standard, silver, gold, vip")]
    [InlineData("Kari,,,,,,", "email, phone, instagram, facebook, x: all are empty; a customer needs at least one to be recognised")]
    [InlineData("Kari,kari@example.com,+47 1234567890123456789012345678901234567,,,,", "phone: is 41 characters long; at most 40 are allowed")]
    [InlineData("Kari,kari@example.com,,,,", "the row has 6 fields, the header has 7 (is a field with a ',' missing its quotes?)")]
    [InlineData("Kari \"KJ\" Nordmann,kari@example.com,,,,,", "a quote (\") inside a field that is not itself in quotes; put the field in quotes and double the quote")]
    public async Task A_bad_customer_row_is_rejected_with_its_row_and_a_reason_naming_the_column(string row, string reason)
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, "Ola Hansen,ola@example.com,,,,,", row));

        Assert.Equal(1, report.Accepted);
        Assert.Equal([new RejectedRow(3, reason)], report.Rejected);
        Assert.Contains($"  row 3: {reason}", report.Text(), StringComparison.Ordinal);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(["Ola Hansen"], await db.Customers.Select(c => c.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_name_longer_than_the_database_holds_is_rejected()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader, $"{new string('K', 201)},kari@example.com,,,,,"));

        Assert.Equal([new RejectedRow(2, "name: is 201 characters long; at most 200 are allowed")], report.Rejected);
    }

    [Fact]
    public async Task Semicolons_a_byte_order_mark_and_quoted_fields_with_delimiters_and_newlines_are_read()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines(
            "Name;Email;Phone;Instagram;Facebook;X;Tier",
            "\"Nordmann; Kari\";kari@example.com;;;;;",
            "\"Søren \"\"Sol\"\" Ødegård, jr.",
            "(second line)\";soren@example.com;;;;;",
            "",
            ";bad@example.com;;;;;"), byteOrderMark: true);

        Assert.Equal(2, report.Accepted);
        Assert.Equal([new RejectedRow(5, "name: is required")], report.Rejected);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(["Nordmann; Kari", "Søren \"Sol\" Ødegård, jr.\n(second line)"], await db.Customers.OrderBy(c => c.Id).Select(c => c.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task An_empty_file_is_reported_on_row_1_and_stores_nothing()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, "");

        Assert.Equal(0, report.Accepted);
        Assert.Equal([new RejectedRow(1, "the file is empty; the first row must be the header: name,email,phone,instagram,facebook,x,tier")], report.Rejected);
    }

    [Fact]
    public async Task A_file_with_only_a_header_imports_nothing_and_rejects_nothing()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines(CustomerHeader), byteOrderMark: true);

        Assert.Equal(0, report.Accepted);
        Assert.Empty(report.Rejected);
        Assert.Equal("0 new customers, 0 existing customers updated", report.Stored);
    }

    [Fact]
    public async Task A_header_with_unknown_or_missing_columns_is_reported_on_row_1_and_stores_nothing()
    {
        await using var app = TestApp.Sqlite();

        var report = await app.ImportAsync(ImportKind.Customers, Lines("emial,phone", "kari@example.com,+4791234567"));

        Assert.Equal(
            [new RejectedRow(1, "header: unknown column 'emial'; column 'name' is missing; the columns are name,email,phone,instagram,facebook,x,tier")],
            report.Rejected);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Customers.AnyAsync(Ct));
    }

    [Fact]
    public async Task A_row_that_is_not_utf8_is_rejected_and_the_others_are_stored()
    {
        await using var app = TestApp.Sqlite();
        byte[] latin1Row = [.. "S"u8, 0xF8, .. "ren,soren@example.com,,,,,\n"u8];

        var report = await app.ImportAsync(ImportKind.Customers, [.. "name,email,phone,instagram,facebook,x,tier\nKari,kari@example.com,,,,,\n"u8, .. latin1Row]);

        Assert.Equal(1, report.Accepted);
        Assert.Equal([new RejectedRow(3, "the row is not valid UTF-8; save the file as 'CSV UTF-8'")], report.Rejected);
    }
}
