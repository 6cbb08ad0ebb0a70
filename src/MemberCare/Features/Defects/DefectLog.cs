using System.Globalization;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Storage;
using MemberCare.Features.Search;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Defects;

/// <summary>The mistakes log: open, link, investigate, act, close with a lesson. Pages and the API both call it.</summary>
public sealed class DefectLog(
    IDbContextFactory<MemberCareDb> dbFactory,
    IMessageSearch search,
    BlamelessCheck blameless,
    IOptions<DefectOptions> options,
    TimeProvider time)
{
    public const int MaxLinks = 500;

    public async Task<IReadOnlyList<DefectSummary>> ListAsync(DefectStatus? status, DefectCategory? category, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Defects.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }
        if (category is { } c)
        {
            query = query.Where(d => d.Category == c);
        }
        var rows = await query
            .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
            .Take(500)
            .Select(d => new
            {
                d.Id,
                d.Title,
                d.Category,
                d.Severity,
                d.Status,
                d.SignatureKey,
                d.OwnerId,
                d.OwnerDepartment,
                OwnerName = db.Users.Where(u => u.Id == d.OwnerId).Select(u => u.DisplayName).FirstOrDefault()
                    ?? db.Departments.Where(x => x.Key == d.OwnerDepartment).Select(x => x.Name).FirstOrDefault(),
                d.OpenedAt,
                d.UpdatedAt,
                Conversations = d.Links.Count(l => l.Kind == DefectLinkKind.Conversation),
                Customers = d.Links.Count(l => l.Kind == DefectLinkKind.Customer),
                OpenActions = d.Actions.Count(a => a.DoneAt == null),
            })
            .ToListAsync(ct);
        return [.. rows.Select(d => new DefectSummary(d.Id, d.Title, d.Category.ToKey(), d.Severity.ToKey(), d.Status.ToKey(), d.SignatureKey,
            d.OwnerId, d.OwnerDepartment, d.OwnerName, d.Conversations, d.Customers, d.OpenActions, d.OpenedAt, d.UpdatedAt))];
    }

    public async Task<DefectDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var defect = await LoadAsync(db, id, tracking: false, ct);
        return defect is null ? null : await DetailAsync(db, defect, ct);
    }

    /// <summary>Opens a defect with what it touched already linked; the factory the spike detector's "accept" also uses.</summary>
    public async Task<(DefectDetail Defect, LinkResult Links)> OpenAsync(
        string title, DefectCategory category, DefectSeverity severity, string? signatureKey, string openedBy, string? ownerId,
        LinkRequest links, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (defect, result) = await AddAsync(db, title, category, severity, signatureKey, openedBy, ownerId, links, ct);
        await db.SaveChangesAsync(ct);
        return (await DetailAsync(db, defect, ct), result);
    }

    /// <summary>
    /// Adds a defect with its links to <paramref name="db"/> without saving, so a caller can commit it together with
    /// its own change (accepting a spike alert).
    /// </summary>
    public async Task<(Defect Defect, LinkResult Links)> AddAsync(
        MemberCareDb db, string title, DefectCategory category, DefectSeverity severity, string? signatureKey, string openedBy, string? ownerId,
        LinkRequest links, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(links);
        var now = time.GetUtcNow();
        var signature = string.IsNullOrWhiteSpace(signatureKey)
            ? await GuessSignatureAsync(db, links.ConversationIds ?? [], ct) ?? category.ToKey()
            : signatureKey;
        var defect = Defect.Open(title, category, severity, signature, openedBy, ownerId, now);
        db.Defects.Add(defect);
        var result = await LinkIntoAsync(db, defect, links, now, ct);
        // A signature that names a SKU (a spike on one product) links that SKU, so outreach finds its other buyers.
        if (await SignatureSkuAsync(db, defect.SignatureKey, ct) is { } sku && defect.LinkSku(sku, now))
        {
            result = result with { SkusAdded = result.SkusAdded + 1 };
        }
        return (defect, result);
    }

    /// <summary>"This was our mistake": a defect from one conversation, with its customer, order and SKUs linked.</summary>
    public async Task<DefectDetail?> OpenFromConversationAsync(
        long conversationId, string? title, DefectCategory category, DefectSeverity severity, string? signatureKey, string openedBy, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
                .Select(c => new { c.Subject, c.LastMessagePreview, c.OrderNumber }).FirstOrDefaultAsync(ct);
            if (conversation is null)
            {
                return null;
            }
            title = string.IsNullOrWhiteSpace(title) ? conversation.Subject ?? conversation.LastMessagePreview ?? $"Conversation {conversationId}" : title;
            var orders = conversation.OrderNumber is null ? [] : new[] { conversation.OrderNumber };
            var (defect, _) = await OpenAsync(title, category, severity, signatureKey, openedBy, null,
                new LinkRequest([conversationId], orders, null, null, null), ct);
            return defect;
        }
    }

    public async Task<(DefectOutcome Outcome, LinkResult? Result)> LinkAsync(long id, LinkRequest links, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var defect = await LoadAsync(db, id, tracking: true, ct);
        if (defect is null)
        {
            return (DefectOutcome.NotFound, null);
        }
        var result = await LinkIntoAsync(db, defect, links, now, ct);
        await db.SaveChangesAsync(ct);
        return (DefectOutcome.Done, result);
    }

    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> MoveAsync(long id, DefectStatus to, CancellationToken ct) =>
        ChangeAsync(id, (d, now) => d.MoveTo(to, now, options.Value.VerificationPeriod), ct);

    /// <summary>Hands the defect to a user or a department; naming one that does not exist is <see cref="DefectOutcome.UnknownOwner"/>.</summary>
    public async Task<(DefectOutcome Outcome, DefectDetail? Defect)> AssignOwnerAsync(long id, string? userId, string? department, CancellationToken ct)
    {
        if (!await OwnerExistsAsync(userId, department, ct))
        {
            return (DefectOutcome.UnknownOwner, null);
        }
        return await ChangeAsync(id, (d, now) =>
        {
            d.AssignOwner(userId, department, now);
            return DefectOutcome.Done;
        }, ct);
    }

    /// <summary>Whether the user and the department given (either may be empty) are in the staff directory.</summary>
    public async Task<bool> OwnerExistsAsync(string? userId, string? department, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (string.IsNullOrWhiteSpace(userId) || await db.Users.AnyAsync(u => u.Id == userId.Trim(), ct))
            && (string.IsNullOrWhiteSpace(department) || await db.Departments.AnyAsync(d => d.Key == department.Trim(), ct));
    }

    /// <summary>The lead's correction of the category and severity, such as the guess a spike alert opened the defect with.</summary>
    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> ReclassifyAsync(long id, DefectCategory category, DefectSeverity severity, CancellationToken ct) =>
        ChangeAsync(id, (d, now) =>
        {
            d.Reclassify(category, severity, now);
            return DefectOutcome.Done;
        }, ct);

    /// <summary>The users and departments a defect can be handed to, for the page's owner picker.</summary>
    public async Task<IReadOnlyList<OwnerChoice>> OwnerChoicesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new OwnerChoice(d.Key, d.Name, true)).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).Select(u => new OwnerChoice(u.Id, u.DisplayName, false)).ToListAsync(ct);
        return [.. users, .. departments];
    }

    public async Task<(DefectOutcome Outcome, RootCauseResult? Result)> SetRootCauseAsync(long id, IReadOnlyList<string> whys, CauseCategory? category, CancellationToken ct)
    {
        var (outcome, detail) = await ChangeAsync(id, (d, now) =>
        {
            d.SetRootCause(whys, category, now);
            return DefectOutcome.Done;
        }, ct);
        if (detail is null)
        {
            return (outcome, null);
        }
        return (outcome, new RootCauseResult(detail, await blameless.WarningsAsync(whys, ct)));
    }

    /// <summary>Adds an action; an owner who is not in the staff directory is <see cref="DefectOutcome.UnknownOwner"/>.</summary>
    public async Task<(DefectOutcome Outcome, DefectDetail? Defect)> AddActionAsync(
        long id, ActionKind kind, string description, string? ownerUserId, string? ownerDepartment, DateTimeOffset dueAt, CancellationToken ct) =>
        !await OwnerExistsAsync(ownerUserId, ownerDepartment, ct)
            ? (DefectOutcome.UnknownOwner, await GetAsync(id, ct))
            : await ChangeAsync(id, (d, now) =>
        {
            if (d.Status == DefectStatus.Closed)
            {
                return DefectOutcome.IllegalTransition;
            }
            d.AddAction(kind, description, ownerUserId, ownerDepartment, dueAt, now);
            return DefectOutcome.Done;
        }, ct);

    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> CompleteActionAsync(long id, long actionId, string evidence, CancellationToken ct) =>
        ChangeAsync(id, (d, now) => d.CompleteAction(actionId, evidence, now, options.Value.VerificationPeriod), ct);

    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> CloseAsync(long id, string what, string why, string change, CancellationToken ct) =>
        ChangeAsync(id, (d, now) => d.Close(what, why, change, now), ct);

    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> PlanRecoveryAsync(long id, long customerId, Remedy remedy, decimal amount, CancellationToken ct) =>
        ChangeAsync(id, (d, _) =>
        {
            var task = d.Recoveries.FirstOrDefault(r => r.CustomerId == customerId);
            if (task is null)
            {
                return DefectOutcome.NotFound;
            }
            task.Plan(remedy, amount);
            return DefectOutcome.Done;
        }, ct);

    public Task<(DefectOutcome Outcome, DefectDetail? Defect)> CompleteRecoveryAsync(long id, long customerId, int handlingMinutes, CancellationToken ct) =>
        ChangeAsync(id, (d, now) =>
        {
            var task = d.Recoveries.FirstOrDefault(r => r.CustomerId == customerId);
            if (task is null)
            {
                return DefectOutcome.NotFound;
            }
            task.Complete(handlingMinutes, now);
            return DefectOutcome.Done;
        }, ct);

    public async Task<DefectOutcome> AcknowledgeLessonAsync(long id, string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var published = await db.Defects.AnyAsync(d => d.Id == id && d.LessonPublishedAt != null, ct);
        if (!published)
        {
            return DefectOutcome.NotFound;
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return DefectOutcome.UnknownUser;
        }
        if (await db.LessonAcknowledgements.AnyAsync(a => a.DefectId == id && a.UserId == userId, ct))
        {
            return DefectOutcome.AlreadyDone;
        }
        db.LessonAcknowledgements.Add(new LessonAcknowledgement(id, userId, time.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return DefectOutcome.AlreadyDone;
        }
        return DefectOutcome.Done;
    }

    private async Task<(DefectOutcome Outcome, DefectDetail? Defect)> ChangeAsync(long id, Func<Defect, DateTimeOffset, DefectOutcome> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var defect = await LoadAsync(db, id, tracking: true, ct);
        if (defect is null)
        {
            return (DefectOutcome.NotFound, null);
        }
        var outcome = change(defect, time.GetUtcNow());
        if (outcome == DefectOutcome.Done)
        {
            await db.SaveChangesAsync(ct);
        }
        return (outcome, await DetailAsync(db, defect, ct));
    }

    private static async Task<Defect?> LoadAsync(MemberCareDb db, long id, bool tracking, CancellationToken ct)
    {
        var query = db.Defects.Include(d => d.Links).Include(d => d.Actions).Include(d => d.Recoveries).AsSplitQuery();
        return await (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(d => d.Id == id, ct);
    }

    private async Task<LinkResult> LinkIntoAsync(MemberCareDb db, Defect defect, LinkRequest links, DateTimeOffset now, CancellationToken ct)
    {
        var unknown = new List<string>();
        var conversationIds = (links.ConversationIds ?? []).ToHashSet();
        if (links.SpikeAlertId is { } alertId)
        {
            // A detected cluster: every conversation whose messages the spike alert linked.
            var cluster = await db.SpikeAlertMessages.AsNoTracking().Where(l => l.AlertId == alertId)
                .Join(db.Messages, l => l.MessageId, m => m.Id, (l, m) => m.ConversationId).Distinct().ToListAsync(ct);
            if (cluster.Count == 0 && !await db.SpikeAlerts.AnyAsync(a => a.Id == alertId, ct))
            {
                unknown.Add($"spike alert {alertId}");
            }
            conversationIds.UnionWith(cluster);
        }
        if (!string.IsNullOrWhiteSpace(links.Search))
        {
            foreach (var hit in await search.SearchAsync(links.Search, MaxLinks, ct))
            {
                conversationIds.Add(hit.ConversationId);
            }
        }
        int conversations = 0, orders = 0, skus = 0, customers = 0;
        var ids = conversationIds.Take(MaxLinks).ToList();
        var found = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.CustomerId, c.CreatedAt, c.OrderNumber }).ToListAsync(ct);
        unknown.AddRange(ids.Except(found.Select(f => f.Id)).Select(i => $"conversation {i}"));
        var customersBefore = defect.Recoveries.Count;
        foreach (var c in found)
        {
            conversations += defect.LinkConversation(c.Id, c.CustomerId, c.CreatedAt, now) ? 1 : 0;
        }
        var numbers = (links.OrderNumbers ?? []).Select(Order.NormalizeNumber)
            .Concat(found.Where(f => f.OrderNumber is not null).Select(f => f.OrderNumber!))
            .Distinct().Take(MaxLinks).ToList();
        var requestedNumbers = (links.OrderNumbers ?? []).Select(Order.NormalizeNumber).ToHashSet();
        var orderRows = await db.Orders.AsNoTracking().Where(o => numbers.Contains(o.Number))
            .Select(o => new { o.Id, o.Number, o.CustomerId }).ToListAsync(ct);
        unknown.AddRange(requestedNumbers.Except(orderRows.Select(o => o.Number)).Select(n => $"order {n}"));
        foreach (var o in orderRows)
        {
            orders += defect.LinkOrder(o.Id, o.Number, now) ? 1 : 0;
            defect.LinkCustomer(o.CustomerId, now);
        }
        foreach (var sku in (links.Skus ?? []).Take(MaxLinks))
        {
            skus += defect.LinkSku(sku, now) ? 1 : 0;
        }
        var customerIds = (links.CustomerIds ?? []).Distinct().Take(MaxLinks).ToList();
        var knownCustomers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        unknown.AddRange(customerIds.Except(knownCustomers).Select(i => $"customer {i}"));
        foreach (var customerId in knownCustomers)
        {
            defect.LinkCustomer(customerId, now);
        }
        customers = defect.Recoveries.Count - customersBefore;
        return new LinkResult(conversations, orders, skus, customers, unknown);
    }

    /// <summary>The SKU a "concern|sku:value" signature names, in the catalogue's spelling when an order line has it.</summary>
    private static async Task<string?> SignatureSkuAsync(MemberCareDb db, string signature, CancellationToken ct)
    {
        const string area = "|sku:";
        var at = signature.IndexOf(area, StringComparison.Ordinal);
        if (at < 0 || signature.Length == at + area.Length)
        {
            return null;
        }
        var value = signature[(at + area.Length)..];
        var upper = value.ToUpperInvariant();
        return await db.OrderLines.AsNoTracking().Where(l => l.Sku == value || l.Sku == upper).Select(l => l.Sku).FirstOrDefaultAsync(ct) ?? upper;
    }

    /// <summary>The first conversation's concern and the SKU its order names, or its concern alone.</summary>
    private static async Task<string?> GuessSignatureAsync(MemberCareDb db, IReadOnlyList<long> conversationIds, CancellationToken ct)
    {
        if (conversationIds.Count == 0)
        {
            return null;
        }
        var first = conversationIds[0];
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == first)
            .Select(c => new { c.ConcernType, c.OrderNumber }).FirstOrDefaultAsync(ct);
        if (conversation?.ConcernType is not { } concern)
        {
            return null;
        }
        var sku = conversation.OrderNumber is null ? null : await db.Orders.AsNoTracking()
            .Where(o => o.Number == conversation.OrderNumber).SelectMany(o => o.Lines).Select(l => l.Sku).FirstOrDefaultAsync(ct);
        return sku is null ? concern : DefectSignature.Make(concern, "sku", sku);
    }

    private static async Task<DefectDetail> DetailAsync(MemberCareDb db, Defect d, CancellationToken ct)
    {
        var customerIds = d.Recoveries.Select(r => r.CustomerId).ToList();
        var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return new DefectDetail(
            d.Id, d.Title, d.Category.ToKey(), d.Severity.ToKey(), d.Status.ToKey(),
            [.. Defect.AllowedFrom(d.Status).Select(s => s.ToKey())],
            d.SignatureKey, d.OwnerId, d.OwnerDepartment, d.OpenedBy, d.OpenedAt, d.FirstComplaintAt, d.CauseCategory?.ToKey(), d.FiveWhys,
            d.VerifyingSince, d.VerifyUntil, d.VerifiedAt, d.ClosedAt, d.ReopenCount,
            d.LessonPublishedAt is { } published ? new LessonView(d.Id, d.Title, d.LessonWhat!, d.LessonWhy!, d.LessonChange!, published) : null,
            [.. d.Links.OrderBy(l => l.Kind).ThenBy(l => l.LinkedAt).Select(l => new DefectLinkView(l.Kind.ToKey(), l.Key, l.RefId, l.LinkedAt))],
            [.. d.Actions.OrderBy(a => a.DueAt).ThenBy(a => a.Id).Select(a => new DefectActionView(a.Id, a.Kind.ToKey(), a.Description, a.OwnerUserId,
                a.OwnerDepartment, a.DueAt, a.DoneAt, a.Evidence))],
            [.. d.Recoveries.OrderBy(r => r.CustomerId).Select(r => new RecoveryView(r.Id, r.CustomerId,
                names.GetValueOrDefault(r.CustomerId, r.CustomerId.ToString(CultureInfo.InvariantCulture)), r.Remedy.ToKey(), r.Amount, r.HandlingMinutes, r.DoneAt))]);
    }
}
