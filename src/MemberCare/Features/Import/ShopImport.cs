using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Import;

public enum ImportKind
{
    Customers,
    Orders,
}

public sealed record RejectedRow(int Row, string Reason);

public sealed record ImportReport(int Accepted, IReadOnlyList<RejectedRow> Rejected)
{
    public void WriteTo(TextWriter output)
    {
        output.WriteLine($"Accepted rows: {Accepted}");
        output.WriteLine($"Rejected rows: {Rejected.Count}");
        foreach (var row in Rejected)
        {
            output.WriteLine($"  row {row.Row}: {row.Reason}");
        }
    }
}

/// <summary>Customers and orders from CSV files exported by a shop platform.</summary>
public sealed class ShopImport(IDbContextFactory<MemberCareDb> dbFactory)
{
    public async Task<ImportReport> ImportAsync(ImportKind kind, Stream csv, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        _ = kind;
        _ = csv;
        throw new NotImplementedException("CSV import is being written.");
    }
}
