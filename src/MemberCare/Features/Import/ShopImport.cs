using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Import;

public enum ImportKind
{
    Customers,
    Orders,
    Reviews,
}

public sealed record RejectedRow(int Row, string Reason);

public sealed record ImportReport(int Accepted, IReadOnlyList<RejectedRow> Rejected, string? Stored = null)
{
    public void WriteTo(TextWriter output)
    {
        output.WriteLine($"Accepted rows: {Accepted}");
        output.WriteLine($"Rejected rows: {Rejected.Count}");
        foreach (var row in Rejected)
        {
            output.WriteLine($"  row {row.Row}: {row.Reason}");
        }
        if (Stored is not null)
        {
            output.WriteLine($"Stored: {Stored}");
        }
    }
}

/// <summary>
/// Customers and orders from CSV files exported by a shop platform (columns in docs/import.md). Every row is
/// checked; good rows are stored in one transaction and bad rows are reported with their row number.
/// </summary>
public sealed class ShopImport(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time, Microsoft.Extensions.Options.IOptions<ReviewOptions> reviews)
{
    public async Task<ImportReport> ImportAsync(ImportKind kind, Stream csv, CancellationToken ct)
    {
        var (columns, required) = kind switch
        {
            ImportKind.Customers => (CustomerFile.Columns, CustomerFile.RequiredColumns),
            ImportKind.Reviews => (ReviewFile.Columns, ReviewFile.RequiredColumns),
            _ => (OrderFile.Columns, OrderFile.RequiredColumns),
        };
        var sheet = await CsvSheet.ReadAsync(csv, columns, required, ct);
        if (sheet.FileProblem is { } problem)
        {
            return new ImportReport(0, [new RejectedRow(1, problem)]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (kind == ImportKind.Reviews)
        {
            var reviewed = await ReviewFile.ImportAsync(db, sheet, reviews.Value, time.GetUtcNow(), ct);
            return new ImportReport(reviewed.Accepted, [.. reviewed.Rejected.OrderBy(r => r.Row)], reviewed.Stored);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = kind == ImportKind.Customers
            ? await CustomerFile.ImportAsync(db, sheet, time.GetUtcNow(), ct)
            : await OrderFile.ImportAsync(db, sheet, ct);
        await transaction.CommitAsync(ct);
        return new ImportReport(outcome.Accepted, [.. outcome.Rejected.OrderBy(r => r.Row)], outcome.Stored);
    }

    internal static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The longest value a column of the database holds, as the model declares it.</summary>
    internal static int MaxLength<TEntity>(MemberCareDb db, string property) =>
        db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetMaxLength()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} has no maximum length.");
}

internal sealed record ImportOutcome(int Accepted, IReadOnlyList<RejectedRow> Rejected, string Stored);
