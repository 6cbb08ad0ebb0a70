using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Triage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Triage;

public sealed record CorrectTriageRequest(string? Concern, string? Sentiment, string? Language, string? CorrectedBy);

public sealed record TriageCorrectionView(
    long Id,
    long MessageId,
    long ConversationId,
    string Text,
    string? Concern,
    string? Sentiment,
    string? Language,
    string? PreviousConcern,
    string? PreviousSentiment,
    string? PreviousLanguage,
    string CorrectedBy,
    DateTimeOffset CorrectedAt);

/// <summary>A message's labels as agents last corrected them, for the next training; null where no agent said otherwise.</summary>
public sealed record CorrectedLabels(string Text, string? Concern, string? Sentiment, string? Language);

public enum CorrectionOutcome
{
    Done,
    NotFound,
    NotInbound,
    NotTriagedYet,
}

/// <summary>Agents' corrections of triage labels: stored beside the model's labels, applied to the message and its case.</summary>
public sealed class TriageCorrections(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time)
{
    public const int MaxLimit = 10_000;

    public async Task<(CorrectionOutcome Outcome, TriageCorrectionView? Correction)> CorrectAsync(
        long messageId, string? concern, string? sentiment, string? language, string by, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null)
        {
            return (CorrectionOutcome.NotFound, null);
        }
        if (message.Direction != MessageDirection.Inbound)
        {
            return (CorrectionOutcome.NotInbound, null);
        }
        // The backfill would write the model's labels over the agent's; correct once triage has run.
        if (message.TriagedAt is null)
        {
            return (CorrectionOutcome.NotTriagedYet, null);
        }
        var now = time.GetUtcNow();
        var correction = TriageCorrection.Record(
            message.Id, (concern, sentiment, language), (message.Concern, message.Sentiment, message.Language), by, now);
        db.TriageCorrections.Add(correction);
        message.CorrectTriage(concern, concern is null ? null : TriageLabels.DepartmentFor(concern), sentiment, language);
        var newer = await db.Messages.AnyAsync(
            m => m.ConversationId == message.ConversationId && m.Direction == MessageDirection.Inbound && m.Id > message.Id, ct);
        if (!newer)
        {
            var conversation = await db.Conversations.FirstAsync(c => c.Id == message.ConversationId, ct);
            conversation.CorrectTriage(concern, sentiment, language, now);
        }
        await db.SaveChangesAsync(ct);
        return (CorrectionOutcome.Done, View(correction, message));
    }

    public async Task<IReadOnlyList<TriageCorrectionView>> ListAsync(DateTimeOffset? since, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.TriageCorrections.AsNoTracking();
        if (since is { } from)
        {
            var utc = from.ToUniversalTime();
            query = query.Where(c => c.CorrectedAt >= utc);
        }
        var rows = await query
            .OrderBy(c => c.CorrectedAt).ThenBy(c => c.Id)
            .Take(Math.Clamp(limit, 1, MaxLimit))
            .Join(db.Messages, c => c.MessageId, m => m.Id, (c, m) => new { Correction = c, m.ConversationId, m.Text })
            .ToListAsync(ct);
        return [.. rows.Select(r => View(r.Correction, r.ConversationId, r.Text))];
    }

    /// <summary>Every corrected message once, with the labels agents gave it last, field by field: the trainer's extra rows.</summary>
    public async Task<IReadOnlyList<CorrectedLabels>> ForTrainingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TriageCorrections.AsNoTracking()
            .OrderBy(c => c.CorrectedAt).ThenBy(c => c.Id)
            .Join(db.Messages, c => c.MessageId, m => m.Id, (c, m) => new { c.MessageId, m.Text, c.Concern, c.Sentiment, c.Language })
            .ToListAsync(ct);
        var byMessage = new Dictionary<long, CorrectedLabels>();
        foreach (var row in rows)
        {
            byMessage[row.MessageId] = byMessage.TryGetValue(row.MessageId, out var earlier)
                ? earlier with
                {
                    Concern = row.Concern ?? earlier.Concern,
                    Sentiment = row.Sentiment ?? earlier.Sentiment,
                    Language = row.Language ?? earlier.Language,
                }
                : new CorrectedLabels(row.Text, row.Concern, row.Sentiment, row.Language);
        }
        return [.. byMessage.Values];
    }

    private static TriageCorrectionView View(TriageCorrection c, Message m) => View(c, m.ConversationId, m.Text);

    private static TriageCorrectionView View(TriageCorrection c, long conversationId, string text) => new(
        c.Id, c.MessageId, conversationId, text, c.Concern, c.Sentiment, c.Language,
        c.PreviousConcern, c.PreviousSentiment, c.PreviousLanguage, c.CorrectedBy, c.CorrectedAt);
}
