using System.Text;
using MemberCare.Features.Import;
using MemberCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Import;

internal static class CsvFiles
{
    public const string CustomerHeader = "name,email,phone,instagram,facebook,x,tier";

    public const string OrderHeader =
        "order_number,placed_at,customer_email,customer_name,currency,sku,product_name,size,colour,supplier,quantity,unit_price,status,carrier,shipped_at,delivered_at";

    public static Task<ImportReport> ImportAsync(this TestApp app, ImportKind kind, string csv, bool byteOrderMark = false) =>
        app.ImportAsync(kind, Encoding.UTF8.GetBytes(csv), byteOrderMark);

    public static async Task<ImportReport> ImportAsync(this TestApp app, ImportKind kind, byte[] bytes, bool byteOrderMark = false)
    {
        using var stream = new MemoryStream(byteOrderMark ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
        return await app.Services.GetRequiredService<ShopImport>().ImportAsync(kind, stream, TestContext.Current.CancellationToken);
    }

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static string Text(this ImportReport report)
    {
        using var writer = new StringWriter();
        report.WriteTo(writer);
        return writer.ToString();
    }
}
