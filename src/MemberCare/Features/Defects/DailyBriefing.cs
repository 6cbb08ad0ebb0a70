using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Defects;

/// <summary>
/// Yesterday's work: conversations started, messages in, replies, and the SLA misses of conversations (first response,
/// resolution) and of department hand-offs (acknowledgement, completion) whose deadline fell on the day.
/// </summary>
public sealed record BriefingVolumes(
    int Conversations, int InboundMessages, int Replies, int FirstResponseMisses, int ResolutionMisses, int HandoffAcknowledgeMisses, int HandoffCompletionMisses);

/// <summary>
/// The case to learn from. <see cref="Reason"/> is <c>lesson</c> (the case behind the lesson <see cref="LessonTitle"/>) or
/// <c>least_satisfied</c>; <see cref="Why"/> says the same in English for the e-mail.
/// </summary>
public sealed record BriefingCase(long ConversationId, string Reason, string? LessonTitle, string Why, IReadOnlyList<BriefingLine> Lines);

public sealed record BriefingLine(string Direction, string Text);

public sealed record Briefing(
    DateOnly Day,
    BriefingVolumes Volumes,
    IReadOnlyList<DefectSummary> OpenDefects,
    IReadOnlyList<LessonView> NewLessons,
    BriefingCase? CaseToLearnFrom);

/// <summary>Who has read a lesson (names, and their user ids) and who has not yet.</summary>
public sealed record LessonReads(long DefectId, string Title, DateTimeOffset PublishedAt, IReadOnlyList<string> ReadBy, IReadOnlyList<string> NotYet, IReadOnlyList<string> ReadByUserIds);

/// <summary>
/// The daily service briefing: yesterday's volumes and SLA misses, the open defects, the new lessons and one real case,
/// anonymised, to learn from. Optionally e-mailed at a set hour, once a day however many nodes run.
/// </summary>
public sealed partial class DailyBriefing(IDbContextFactory<MemberCareDb> dbFactory, DefectLog log, IOptions<DefectOptions> options, TimeProvider time)
{
    public static TimeSpan LessonsWindow { get; } = TimeSpan.FromDays(7);

    public DateOnly Yesterday()
    {
        var local = TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Value.Zone);
        return DateOnly.FromDateTime(local.DateTime).AddDays(-1);
    }

    public async Task<Briefing> BuildAsync(DateOnly day, CancellationToken ct)
    {
        var zone = options.Value.Zone;
        var start = Start(day, zone);
        var end = Start(day.AddDays(1), zone);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var volumes = new BriefingVolumes(
            await db.Conversations.CountAsync(c => c.CreatedAt >= start && c.CreatedAt < end, ct),
            await db.Messages.CountAsync(m => m.Direction == MessageDirection.Inbound && m.CreatedAt >= start && m.CreatedAt < end, ct),
            await db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.CreatedAt >= start && m.CreatedAt < end, ct),
            await db.Conversations.CountAsync(c => c.FirstResponseDueAt >= start && c.FirstResponseDueAt < end
                && (c.FirstResponseAt == null || c.FirstResponseAt > c.FirstResponseDueAt), ct),
            await db.Conversations.CountAsync(c => c.ResolutionDueAt >= start && c.ResolutionDueAt < end
                && (c.ResolvedAt == null || c.ResolvedAt > c.ResolutionDueAt), ct),
            await db.Handoffs.CountAsync(h => h.AcknowledgeDueAt >= start && h.AcknowledgeDueAt < end
                && ((h.AcknowledgedAt ?? h.ClosedAt) == null || (h.AcknowledgedAt ?? h.ClosedAt) > h.AcknowledgeDueAt), ct),
            await db.Handoffs.CountAsync(h => h.CompleteDueAt >= start && h.CompleteDueAt < end
                && (h.ClosedAt == null || h.ClosedAt > h.CompleteDueAt), ct));
        var open = (await log.ListAsync(null, null, ct)).Where(d => d.Status != DefectStatus.Closed.ToKey()).ToList();
        var lessonsFrom = end - LessonsWindow;
        var lessons = await db.Defects.AsNoTracking()
            .Where(d => d.LessonPublishedAt != null && d.LessonPublishedAt >= lessonsFrom)
            .OrderByDescending(d => d.LessonPublishedAt)
            .Select(d => new LessonView(d.Id, d.Title, d.LessonWhat!, d.LessonWhy!, d.LessonChange!, d.LessonPublishedAt!.Value))
            .ToListAsync(ct);
        return new Briefing(day, volumes, open, lessons, await CaseAsync(db, lessons, start, end, ct));
    }

    /// <summary>
    /// The case behind the newest lesson, or else yesterday's least satisfied customer: a real conversation, with the
    /// customer's name, e-mail, phone and order numbers masked.
    /// </summary>
    private static async Task<BriefingCase?> CaseAsync(MemberCareDb db, IReadOnlyList<LessonView> lessons, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        long? conversationId = null;
        var why = "";
        var reason = "lesson";
        string? lessonTitle = null;
        foreach (var lesson in lessons)
        {
            conversationId = await db.DefectLinks.AsNoTracking()
                .Where(l => l.DefectId == lesson.DefectId && l.Kind == DefectLinkKind.Conversation)
                .OrderBy(l => l.LinkedAt).Select(l => l.RefId).FirstOrDefaultAsync(ct);
            if (conversationId is not null)
            {
                why = $"The case behind the lesson \"{lesson.Title}\".";
                lessonTitle = lesson.Title;
                break;
            }
        }
        if (conversationId is null)
        {
            conversationId = await db.Conversations.AsNoTracking()
                .Where(c => c.SatisfactionScore != null && c.UpdatedAt >= start && c.UpdatedAt < end)
                .OrderBy(c => c.SatisfactionScore).ThenByDescending(c => c.MessageCount)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            why = "Yesterday's least satisfied customer.";
            reason = "least_satisfied";
        }
        if (conversationId is not { } id)
        {
            return null;
        }
        var conversation = await db.Conversations.AsNoTracking().Include(c => c.Customer!).ThenInclude(c => c.Identities)
            .FirstOrDefaultAsync(c => c.Id == id, ct);
        if (conversation?.Customer is not { } customer)
        {
            return null;
        }
        var orderNumbers = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customer.Id).Select(o => o.Number).ToListAsync(ct);
        var secrets = new List<string> { customer.Name };
        secrets.AddRange(customer.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 2));
        secrets.AddRange(customer.Identities.Select(i => i.Handle));
        secrets.AddRange(orderNumbers);
        if (customer.Email is { } email)
        {
            secrets.Add(email);
        }
        if (customer.Phone is { } phone)
        {
            secrets.Add(phone);
        }
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id && m.Direction != MessageDirection.Note)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(20).Select(m => new { m.Direction, m.Text }).ToListAsync(ct);
        return new BriefingCase(id, reason, lessonTitle, why, [.. messages.Select(m => new BriefingLine(m.Direction == MessageDirection.Inbound ? "customer" : "us", Anonymise(m.Text, secrets)))]);
    }

    /// <summary>
    /// Masks the given names and handles, and any e-mail address, order number, street address, postcode with its town,
    /// and phone number in the text.
    /// </summary>
    public static string Anonymise(string text, IEnumerable<string> secrets)
    {
        var masked = OrderPattern().Replace(EmailPattern().Replace(text, "[e-mail]"), "[order]");
        masked = StreetPattern().Replace(masked, "[address]");
        masked = EnglishStreetPattern().Replace(masked, "[address]");
        masked = PostcodePattern().Replace(masked, "[address]");
        masked = PhonePattern().Replace(masked, "[phone]");
        foreach (var secret in secrets.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().OrderByDescending(s => s.Length))
        {
            masked = Regex.Replace(masked, $@"(?<![\p{{L}}\d]){Regex.Escape(secret.Trim())}(?![\p{{L}}\d])", secret.Any(char.IsDigit) ? "[order]" : "[customer]",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        return masked;
    }

    public async Task<IReadOnlyList<LessonReads>> ReadsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var lessons = await db.Defects.AsNoTracking().Where(d => d.LessonPublishedAt != null)
            .OrderByDescending(d => d.LessonPublishedAt).Take(50)
            .Select(d => new { d.Id, d.Title, PublishedAt = d.LessonPublishedAt!.Value }).ToListAsync(ct);
        var ids = lessons.Select(l => l.Id).ToList();
        var acks = await db.LessonAcknowledgements.AsNoTracking().Where(a => ids.Contains(a.DefectId)).ToListAsync(ct);
        return [.. lessons.Select(l =>
        {
            var readers = acks.Where(a => a.DefectId == l.Id).Select(a => a.UserId).ToHashSet();
            return new LessonReads(l.Id, l.Title, l.PublishedAt,
                [.. staff.Where(s => readers.Contains(s.Id)).Select(s => s.DisplayName).Order(StringComparer.Ordinal)],
                [.. staff.Where(s => !readers.Contains(s.Id)).Select(s => s.DisplayName).Order(StringComparer.Ordinal)],
                [.. readers.Order(StringComparer.Ordinal)]);
        })];
    }

    /// <summary>
    /// E-mails yesterday's briefing once the set hour has come. The day's row is inserted in the same SaveChanges as the
    /// outbox message; a second node's insert of the same day fails on the key and enqueues nothing.
    /// </summary>
    public async Task<bool> MailIfDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.BriefingHour is not { } hour || settings.BriefingTargetId is not { } targetId)
        {
            return false;
        }
        var now = time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, settings.Zone);
        if (local.Hour < hour)
        {
            return false;
        }
        var today = DateOnly.FromDateTime(local.DateTime);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.BriefingMailings.AnyAsync(m => m.Day == today, ct))
        {
            return false;
        }
        var briefing = await BuildAsync(today.AddDays(-1), ct);
        db.BriefingMailings.Add(new BriefingMailing(today, now));
        db.Outbox.Add(new OutboxMessage(targetId, "briefing.daily", $"Daily briefing for {briefing.Day:yyyy-MM-dd}", Render(briefing), now));
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return false;
        }
    }

    public static string Render(Briefing b)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Daily briefing for {b.Day:yyyy-MM-dd}");
        text.AppendLine();
        text.AppendLine(c, $"Conversations started: {b.Volumes.Conversations}; messages in: {b.Volumes.InboundMessages}; replies: {b.Volumes.Replies}.");
        text.AppendLine(c, $"SLA misses: {b.Volumes.FirstResponseMisses} first responses, {b.Volumes.ResolutionMisses} resolutions, "
            + $"{b.Volumes.HandoffAcknowledgeMisses} hand-off acknowledgements, {b.Volumes.HandoffCompletionMisses} hand-off completions.");
        text.AppendLine();
        text.AppendLine(c, $"Open defects ({b.OpenDefects.Count}):");
        foreach (var d in b.OpenDefects)
        {
            text.AppendLine(c, $"- #{d.Id} {d.Title} ({d.Category}, {d.Status})");
        }
        text.AppendLine();
        text.AppendLine("New lessons:");
        foreach (var l in b.NewLessons)
        {
            text.AppendLine(c, $"- {l.Title}: {l.What} Why: {l.Why} What we do differently: {l.Change}");
        }
        if (b.CaseToLearnFrom is { } caseToLearn)
        {
            text.AppendLine();
            text.AppendLine(c, $"A case to learn from. {caseToLearn.Why}");
            foreach (var line in caseToLearn.Lines)
            {
                text.AppendLine(c, $"{line.Direction}: {line.Text}");
            }
        }
        return text.ToString();
    }

    private static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    /// <summary>A Nordic or German street and number: "Storgata 12B", "Karl Johans gate 5", "Drottninggatan 3", "Hauptstraße 7".</summary>
    [GeneratedRegex(@"(?:\p{Lu}\p{L}*\s+){0,3}\p{L}*(?:gata|gaten|gate|gt\.|veien|vegen|vei|veg|vn\.|allé|plass|plassen|stien|bakken|ringen|gatan|vägen|väg|vej|vejen|straße|strasse|weg)\s+\d{1,4}\s?[A-Za-z]?(?![\p{L}\d])", RegexOptions.CultureInvariant)]
    private static partial Regex StreetPattern();

    /// <summary>An English street address: "12 Baker Street", "4 Elm Rd".</summary>
    [GeneratedRegex(@"(?<![\p{L}\d])\d{1,5}[A-Za-z]?\s+(?:\p{Lu}\p{L}*\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Close|Court|Place|Square|Gardens|Terrace|Crescent)(?!\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex EnglishStreetPattern();

    /// <summary>A postcode with its town: "0150 Oslo", "5003 Bergen", "114 55 Stockholm".</summary>
    [GeneratedRegex(@"(?<![\p{L}\d\[])(?:\d{4}|\d{3}\s?\d{2})\s+\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)?", RegexOptions.CultureInvariant)]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"(?<!\w)\+?\d[\d \-]{6,}\d(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"#\s?\d{3,}|(?<=\b(?:order|ordre|bestilling)\s*(?:nr\.?|no\.?|number)?\s*)\d{3,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrderPattern();
}
