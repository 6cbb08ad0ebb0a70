using System.ComponentModel.DataAnnotations;
using System.Text;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Reviews;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Import;

public sealed class ReviewOptions
{
    /// <summary>A review rated this or lower (of 5) is flagged: its case goes to high priority.</summary>
    [Range(0, 5)]
    public int FlagAtOrBelow { get; set; } = 2;
}

/// <summary>
/// reviews.csv: review_id,rating,sku,reviewer,email,title,body,created_at. Each review becomes a message on the
/// reviews channel in a case of its own, threaded by the same rules as intake; a review id already imported is
/// skipped, so a shop's nightly export can be imported whole every night. Triage follows by the backfill.
/// </summary>
internal static class ReviewFile
{
    private const int ChunkSize = 500;

    public static IReadOnlyList<string> Columns { get; } = ["review_id", "rating", "sku", "reviewer", "email", "title", "body", "created_at"];

    public static IReadOnlyList<string> RequiredColumns { get; } = ["review_id", "rating", "body"];

    private sealed record ReviewRow(int Row, string Key, int Rating, string? Sku, string? Reviewer, string? Email, string? Title, string Body, DateTimeOffset? CreatedAt);

    public static async Task<ImportOutcome> ImportAsync(MemberCareDb db, CsvSheet sheet, ReviewOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var rejected = sheet.Unreadable.Select(u => new RejectedRow(u.Record.Row, u.Reason)).ToList();
        var rows = new List<ReviewRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in sheet.Records)
        {
            var check = new RowCheck(sheet, record);
            var key = check.Text("review_id", 100, required: true);
            var rating = check.WholeNumber("rating", 1, required: true);
            if (rating > 5)
            {
                check.Problem("rating", $"{rating} is more than 5");
            }
            var sku = check.Text("sku", 64);
            var reviewer = check.Text("reviewer", 200);
            var email = check.Email("email", 320);
            var title = check.Text("title", 300);
            var body = check.Text("body", Conversation.MaxTextLength - 500, required: true);
            var createdAt = check.Time("created_at");
            if (key is not null && !seen.Add(key))
            {
                check.Problem("review_id", $"'{key}' appears on an earlier row of the file");
            }
            if (check.IsValid)
            {
                rows.Add(new ReviewRow(record.Row, key!, rating!.Value, sku, reviewer, email, title, body!, createdAt));
            }
            else
            {
                rejected.Add(new RejectedRow(record.Row, check.Reason));
            }
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => "review:" + r.Key).Chunk(ChunkSize))
        {
            known.UnionWith(await db.Reviews.Where(r => chunk.Contains(r.ReviewKey)).Select(r => r.ReviewKey).ToListAsync(ct));
        }
        var fresh = rows.Where(r => !known.Contains("review:" + r.Key)).ToList();
        var flagged = 0;
        foreach (var chunk in fresh.Chunk(ChunkSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var threading = new BatchThreading(db, [.. chunk.Select(r => ToMessage(r, now))], now);
            await threading.ThreadAsync();
            // Raised before the batch is written: its rows go out through prepared commands, not EF's change tracking.
            var low = threading.Created.Where(made => chunk[made.Index].Rating <= options.FlagAtOrBelow).ToList();
            foreach (var made in low)
            {
                made.Conversation.SetPriority(Priority.High, now);
            }
            flagged += low.Count;
            var outcomes = await threading.StoreAsync();
            foreach (var made in threading.Created)
            {
                var row = chunk[made.Index];
                db.Reviews.Add(Review.Create("review:" + row.Key, outcomes[made.Index].MessageId, row.Rating, row.Sku, row.Reviewer, row.Rating <= options.FlagAtOrBelow, now));
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        var stored = $"{ShopImport.Count(fresh.Count, "review")} ({flagged} flagged for care)";
        if (known.Count > 0)
        {
            stored += $", {ShopImport.Count(known.Count, "review")} already imported";
        }
        return new ImportOutcome(rows.Count, rejected, stored);
    }

    private static InboundMessage ToMessage(ReviewRow row, DateTimeOffset now)
    {
        var text = new StringBuilder()
            .Append(new string('★', row.Rating)).Append(new string('☆', 5 - row.Rating)).Append(" (").Append(row.Rating).Append("/5)");
        if (row.Sku is not null)
        {
            text.Append(" on ").Append(row.Sku);
        }
        if (row.Title is not null)
        {
            text.Append('\n').Append(row.Title);
        }
        text.Append('\n').Append(row.Body);
        var key = "review:" + row.Key;
        return new InboundMessage(
            Channel.Review, key,
            new CustomerReference(row.Reviewer ?? "Anonymous reviewer", row.Email, null),
            text.ToString(), row.CreatedAt ?? now, ThreadKey: key,
            Subject: row.Title ?? (row.Sku is null ? "Review" : $"Review of {row.Sku}"),
            TriageText: row.Title is null ? row.Body : row.Title + "\n" + row.Body);
    }
}
