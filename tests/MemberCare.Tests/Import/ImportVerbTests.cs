using MemberCare.Domain.Orders;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static MemberCare.Tests.Import.CsvFiles;

namespace MemberCare.Tests.Import;

[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput;

[Collection(nameof(ConsoleOutput))]
public sealed class ImportVerbTests
{
    [Fact]
    public async Task The_import_orders_verb_prints_the_report_and_stores_the_good_orders()
    {
        var folder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "orders.csv");
        await File.WriteAllTextAsync(file, Lines(
            OrderHeader,
            "10001,2024-05-17T14:30:00+02:00,kari@example.com,Kari Nordmann,NOK,LIN-SHIRT-WHT-M,Linen Shirt,M,white,Lino Baltic UAB,1,899.00,shipped,Bring,2024-05-18T08:00:00Z,",
            "10001,,,,,WOOL-SCARF-GRY-OS,Wool Scarf,OS,grey,Lanificio Ferro,2,499.00,,,,",
            "10002,2024-05-17,ola@example.com,Ola Hansen,NOK,ORG-TEE-WHT-M,Organic Cotton Tee,M,white,,-1,349,,,,"), TestContext.Current.CancellationToken);
        var output = new StringWriter();
        var console = Console.Out;
        int exitCode;
        try
        {
            Console.SetOut(TextWriter.Synchronized(output));
            exitCode = await Verbs.RunAsync(["import", "orders", file, "--Database:DataFolder", folder, "--Logging:LogLevel:Default=Warning"]);
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.Equal(1, exitCode);
        var report = output.ToString();
        Assert.Contains("Accepted rows: 2\n", report, StringComparison.Ordinal);
        Assert.Contains("Rejected rows: 1\n  row 4: quantity: -1 is negative; it must be at least 1\n", report, StringComparison.Ordinal);
        Assert.Contains("Stored: 1 order with 2 lines, 1 new customer; lifetime value recomputed for 1 customer\n", report, StringComparison.Ordinal);
        await using (var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Database:DataFolder"] = folder }))
        {
            await using var db = await app.OpenDbAsync();
            var order = await db.Orders.Include(o => o.Lines).SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(("10001", OrderStatus.Shipped, "Bring", 2), (order.Number, order.Status, order.Carrier, order.Lines.Count));
            Assert.Equal(1897m, (await db.Customers.SingleAsync(TestContext.Current.CancellationToken)).LifetimeValue);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
