using System.Text.Json;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Conversations;
using MemberCare.Features.Routing;
using MemberCare.Features.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Departments;

public enum HandoffOutcome
{
    Done,
    NotFound,
    Conflict,
    UnknownDepartment,
    ConversationClosed,
}

/// <summary>Who acts: a staff member (with their id) or a department's tool (id null).</summary>
public sealed record HandoffActor(string Name, string? UserId);

public sealed record OrderLineView(string Sku, string Product, string? Size, string? Colour, int Quantity, [property: System.Text.Json.Serialization.JsonIgnore] string? Supplier = null);

/// <summary>A file the customer sent, with the department API's address for its bytes.</summary>
public sealed record HandoffFile(long Id, string FileName, string ContentType, long Size, string Href)
{
    public static HandoffFile Of(string handoffKey, FileView file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(file.Id, file.FileName, file.ContentType, file.Size, $"/api/v1/department/handoffs/{handoffKey}/files/{file.Id}");
    }
}

public sealed record ContactView(string Name, string? Email, string? Phone);

public sealed record HistoryLine(string Direction, string? Author, string Text, DateTimeOffset SentAt);

/// <summary>A hand-off as a department sees it: what the work needs and, unless the department is allowed more, nothing else.</summary>
public sealed record HandoffCard(
    string Id,
    long ConversationId,
    string Department,
    string Status,
    string? Concern,
    string? Request,
    string CustomerWords,
    string? OrderNumber,
    string? Sku,
    string? Size,
    string? Colour,
    IReadOnlyList<OrderLineView> OrderLines,
    IReadOnlyList<HandoffFile> Attachments,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset AcknowledgeDueAt,
    DateTimeOffset CompleteDueAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClosedAt,
    string? Answer,
    string? RejectReason,
    ContactView? Contact,
    IReadOnlyList<HistoryLine>? History);

/// <summary>The hand-offs of one conversation, as care sees them, with the reply to suggest once all are answered.</summary>
public sealed record ConversationHandoffs(long ConversationId, bool WaitingOnDepartment, IReadOnlyList<HandoffCard> Handoffs, string? SuggestedReply);

public sealed record NewHandoff(string Department, string? Request, string? CustomerWords);

/// <summary>
/// The hand-off lifecycle: requested, acknowledged, done with an answer or rejected with a reason. Every change the
/// department must hear about is written to the outbox in the same SaveChanges as the change itself.
/// </summary>
public sealed class Handoffs(IDbContextFactory<MemberCareDb> dbFactory, RuleBook rules, SlaClock clock, IWorkspaceFeed feed)
{
    public async Task<(HandoffOutcome Outcome, HandoffCard? Handoff)> RequestAsync(long conversationId, NewHandoff request, HandoffActor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        if (!rules.Current.Departments.TryGetValue(request.Department, out var department))
        {
            await rules.RefreshAsync(ct);
            if (!rules.Current.Departments.TryGetValue(request.Department, out department))
            {
                return (HandoffOutcome.UnknownDepartment, null);
            }
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
        {
            return (HandoffOutcome.NotFound, null);
        }
        if (conversation.Status is ConversationStatus.Closed)
        {
            return (HandoffOutcome.ConversationClosed, null);
        }
        var lastInbound = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound)
            .OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);
        var words = string.IsNullOrWhiteSpace(request.CustomerWords) ? lastInbound?.Text ?? "" : request.CustomerWords.Trim();
        if (conversation.Status is ConversationStatus.Resolved)
        {
            conversation.TryMoveTo(ConversationStatus.Open, clock.Now);
        }
        var handoff = await OpenAsync(db, conversation, department, words, lastInbound?.Entities, request.Request, by, ruleId: null, ct);
        await db.SaveChangesAsync(ct);
        await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.ConversationChanged, conversationId)], ct);
        return (HandoffOutcome.Done, await CardAsync(db, handoff, ct));
    }

    /// <summary>
    /// Adds a hand-off and its outbound event to <paramref name="db"/> without saving: intake's router calls this
    /// inside its own batch (with the order's lines it already read), care's request above inside its own.
    /// </summary>
    public async Task<Handoff> OpenAsync(
        MemberCareDb db,
        Conversation conversation,
        DepartmentPolicy department,
        string customerWords,
        string? entitiesJson,
        string? request,
        HandoffActor by,
        long? ruleId,
        CancellationToken ct,
        IReadOnlyList<OrderLineView>? orderLines = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(department);
        ArgumentNullException.ThrowIfNull(by);
        var lines = orderLines ?? await OrderLinesAsync(db, conversation.OrderNumber, ct);
        var (sku, size, colour) = ItemOf(entitiesJson, lines);
        var now = clock.Now;
        var deadlines = clock.DeadlinesFrom(now, department.Calendar, department.AcknowledgeWithin, department.CompleteWithin);
        var handoff = Handoff.Open(conversation.Id, department.Key,
            new HandoffDetails(conversation.ConcernType, request, customerWords, conversation.OrderNumber, sku, size, colour),
            by.Name, by.UserId, ruleId, now, deadlines.AcknowledgeBy, deadlines.CompleteBy);
        db.Handoffs.Add(handoff);
        if (conversation.Status != ConversationStatus.WaitingOnDepartment)
        {
            conversation.TryMoveTo(ConversationStatus.WaitingOnDepartment, now);
        }
        if (department.DeliveryTargetId is not null)
        {
            var files = await ConversationFiles.ListAsync(db, conversation.Id, ct);
            Announce(db, department, handoff, "handoff.requested", $"New hand-off: {conversation.ConcernType ?? "concern"} (order {conversation.OrderNumber ?? "none"})",
                lines, [.. files.Select(f => HandoffFile.Of(handoff.Key, f))], now);
        }
        return handoff;
    }

    public Task<(HandoffOutcome Outcome, HandoffCard? Handoff)> AcknowledgeAsync(string key, string? departmentScope, HandoffActor by, CancellationToken ct) =>
        ChangeAsync(key, departmentScope, (handoff, _, now) => handoff.Acknowledge(by.Name, now), ct);

    public Task<(HandoffOutcome Outcome, HandoffCard? Handoff)> AnswerAsync(string key, string? departmentScope, HandoffActor by, string answer, CancellationToken ct) =>
        ChangeAsync(key, departmentScope, (handoff, _, now) => handoff.Complete(by.Name, answer, now), ct);

    public Task<(HandoffOutcome Outcome, HandoffCard? Handoff)> RejectAsync(string key, string? departmentScope, HandoffActor by, string reason, CancellationToken ct) =>
        ChangeAsync(key, departmentScope, (handoff, _, now) => handoff.Reject(by.Name, reason, now), ct);

    /// <summary>A department's queue; <paramref name="open"/> false lists the closed ones, newest first.</summary>
    public async Task<IReadOnlyList<HandoffCard>> QueueAsync(string department, bool open, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Handoffs.AsNoTracking().Where(h => h.DepartmentKey == department);
        query = open
            ? query.Where(h => h.Status == HandoffStatus.Requested || h.Status == HandoffStatus.Acknowledged).OrderBy(h => h.RequestedAt).ThenBy(h => h.Id)
            : query.Where(h => h.Status == HandoffStatus.Done || h.Status == HandoffStatus.Rejected).OrderByDescending(h => h.ClosedAt).ThenByDescending(h => h.Id);
        var handoffs = await query.Take(200).ToListAsync(ct);
        var cards = new List<HandoffCard>(handoffs.Count);
        foreach (var handoff in handoffs)
        {
            cards.Add(await CardAsync(db, handoff, ct));
        }
        return cards;
    }

    public async Task<HandoffCard?> GetAsync(string key, string? departmentScope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var handoff = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(h => h.Key == key, ct);
        return handoff is null || (departmentScope is not null && handoff.DepartmentKey != departmentScope) ? null : await CardAsync(db, handoff, ct);
    }

    /// <summary>A file of the hand-off's conversation, for the department the hand-off belongs to; null for anyone else.</summary>
    public async Task<MemberCare.Domain.Email.EmailAttachment?> FileAsync(string key, string departmentScope, long fileId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversationId = await db.Handoffs.AsNoTracking().Where(h => h.Key == key && h.DepartmentKey == departmentScope)
            .Select(h => (long?)h.ConversationId).FirstOrDefaultAsync(ct);
        return conversationId is { } id ? await ConversationFiles.FindAsync(db, id, fileId, ct) : null;
    }

    public async Task<ConversationHandoffs?> ForConversationAsync(long conversationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking().Include(c => c.Customer).FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
        {
            return null;
        }
        var handoffs = await db.Handoffs.AsNoTracking().Where(h => h.ConversationId == conversationId).OrderBy(h => h.Id).ToListAsync(ct);
        var cards = new List<HandoffCard>(handoffs.Count);
        foreach (var handoff in handoffs)
        {
            cards.Add(await CardAsync(db, handoff, ct, forCare: true));
        }
        var open = handoffs.Any(h => h.IsOpen);
        string? suggestion = null;
        if (!open && handoffs.Any(h => h.Status == HandoffStatus.Done))
        {
            var owner = conversation.AssigneeId ?? handoffs.LastOrDefault(h => h.RequestedById is not null)?.RequestedById;
            var agent = owner is null ? null : await db.Users.Where(u => u.Id == owner).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            suggestion = SuggestedReply.Compose(conversation.Language, conversation.Customer?.Name,
                handoffs.Where(h => h.Status == HandoffStatus.Done).Select(h => h.Answer!), agent);
        }
        return new ConversationHandoffs(conversationId, open, cards, suggestion);
    }

    private async Task<(HandoffOutcome, HandoffCard?)> ChangeAsync(
        string key,
        string? departmentScope,
        Func<Handoff, MemberCareDb, DateTimeOffset, bool> change,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var handoff = await db.Handoffs.FirstOrDefaultAsync(h => h.Key == key, ct);
        // Another department's hand-off answers as if it did not exist: its id says nothing to the caller.
        if (handoff is null || (departmentScope is not null && handoff.DepartmentKey != departmentScope))
        {
            return (HandoffOutcome.NotFound, null);
        }
        var now = clock.Now;
        if (!change(handoff, db, now))
        {
            return (HandoffOutcome.Conflict, await CardAsync(db, handoff, ct));
        }
        var events = new List<WorkspaceEvent> { new(WorkspaceEventKind.ConversationChanged, handoff.ConversationId) };
        if (!handoff.IsOpen)
        {
            await CloseTheLoopAsync(db, handoff, now, events, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (HandoffOutcome.Conflict, null);
        }
        await feed.PublishAsync(events, ct);
        return (HandoffOutcome.Done, await CardAsync(db, handoff, ct));
    }

    /// <summary>
    /// The answer goes into the conversation as a note and to the owning agent as a notification; when it was the
    /// last open hand-off, the conversation goes back to that agent, open again.
    /// </summary>
    private async Task CloseTheLoopAsync(MemberCareDb db, Handoff handoff, DateTimeOffset now, List<WorkspaceEvent> events, CancellationToken ct)
    {
        var conversation = await db.Conversations.FirstAsync(c => c.Id == handoff.ConversationId, ct);
        var department = rules.Current.Departments.TryGetValue(handoff.DepartmentKey, out var d) ? d.Name : handoff.DepartmentKey;
        var text = handoff.Status == HandoffStatus.Done
            ? $"{department} answered: {handoff.Answer}"
            : $"{department} rejected the hand-off: {handoff.RejectReason}";
        if (conversation.Status != ConversationStatus.Closed)
        {
            conversation.AddNote(handoff.ClosedBy ?? department, text, now);
        }
        var othersOpen = await db.Handoffs.AnyAsync(h => h.ConversationId == handoff.ConversationId && h.Id != handoff.Id
            && (h.Status == HandoffStatus.Requested || h.Status == HandoffStatus.Acknowledged), ct);
        var owner = conversation.AssigneeId ?? handoff.RequestedById;
        if (!othersOpen)
        {
            if (conversation.Status == ConversationStatus.WaitingOnDepartment)
            {
                conversation.TryMoveTo(ConversationStatus.Open, now);
            }
            if (conversation.AssigneeId is null && owner is not null)
            {
                conversation.AssignTo(owner, now);
            }
            text = "Back to you: " + text;
        }
        if (owner is not null)
        {
            db.StaffNotifications.Add(StaffNotification.About(owner, conversation.Id, department, text, now));
            events.Add(new WorkspaceEvent(WorkspaceEventKind.Notification, conversation.Id, owner));
        }
    }

    /// <summary>Writes an outbound event for the department's connection, if it has one besides the in-app queue.</summary>
    public static void Announce(
        MemberCareDb db,
        DepartmentPolicy department,
        Handoff handoff,
        string eventType,
        string subject,
        IReadOnlyList<OrderLineView> lines,
        IReadOnlyList<HandoffFile> files,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(department);
        ArgumentNullException.ThrowIfNull(handoff);
        if (department.DeliveryTargetId is not { } target)
        {
            return;
        }
        db.Outbox.Add(new OutboxMessage(target, eventType, subject, EventBody(eventType, handoff, lines, files), now));
    }

    /// <summary>
    /// The JSON a department's tool needs to do the work: ids, concern, the customer's words, the items and the
    /// customer's files (metadata and the address to fetch each with the department's token); no contact details.
    /// </summary>
    public static string EventBody(string eventType, Handoff handoff, IReadOnlyList<OrderLineView> lines, IReadOnlyList<HandoffFile> files)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        return JsonSerializer.Serialize(new
        {
            type = eventType,
            handoff = new
            {
                id = handoff.Key,
                conversationId = handoff.ConversationId,
                department = handoff.DepartmentKey,
                status = handoff.Status.ToString().ToLowerInvariant(),
                concern = handoff.Concern,
                request = handoff.Request,
                customerWords = handoff.CustomerWords,
                orderNumber = handoff.OrderNumber,
                sku = handoff.Sku,
                size = handoff.Size,
                colour = handoff.Colour,
                orderLines = lines,
                attachments = files,
                href = $"/api/v1/department/handoffs/{handoff.Key}",
                requestedAt = handoff.RequestedAt,
                acknowledgeDueAt = handoff.AcknowledgeDueAt,
                completeDueAt = handoff.CompleteDueAt,
            },
        }, RuleCompiler.Json);
    }

    public static async Task<IReadOnlyList<OrderLineView>> OrderLinesAsync(MemberCareDb db, string? orderNumber, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (orderNumber is null)
        {
            return [];
        }
        return await db.Orders.AsNoTracking().Where(o => o.Number == orderNumber)
            .SelectMany(o => o.Lines)
            .OrderBy(l => l.Id)
            .Select(l => new OrderLineView(l.Sku, l.ProductName, l.Size, l.Colour, l.Quantity, l.Supplier))
            .ToListAsync(ct);
    }

    /// <summary>The item the customer means: what the message names, completed from the order line it matches.</summary>
    private static (string? Sku, string? Size, string? Colour) ItemOf(string? entitiesJson, IReadOnlyList<OrderLineView> lines)
    {
        string? sku = null, size = null, colour = null;
        if (entitiesJson is not null)
        {
            try
            {
                using var entities = JsonDocument.Parse(entitiesJson);
                sku = First(entities.RootElement, "skus");
                size = First(entities.RootElement, "sizes");
                colour = First(entities.RootElement, "colours");
            }
            catch (JsonException)
            {
                // Stored by triage; an unreadable value only means the item comes from the order instead.
            }
        }
        var line = lines.FirstOrDefault(l => sku is not null && string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase))
            ?? (lines.Count == 1 ? lines[0] : null);
        return (sku ?? line?.Sku, line?.Size ?? size, line?.Colour ?? colour);
    }

    private static string? First(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 ? list[0].GetString() : null;

    private static async Task<HandoffCard> CardAsync(MemberCareDb db, Handoff h, CancellationToken ct, bool forCare = false)
    {
        var lines = await OrderLinesAsync(db, h.OrderNumber, ct);
        var allowed = await db.Departments.AsNoTracking().Where(d => d.Key == h.DepartmentKey)
            .Select(d => new { d.SeesContactDetails, d.SeesFullHistory }).FirstOrDefaultAsync(ct);
        ContactView? contact = null;
        IReadOnlyList<HistoryLine>? history = null;
        if (!forCare && allowed is { SeesContactDetails: true })
        {
            contact = await db.Conversations.AsNoTracking().Where(c => c.Id == h.ConversationId)
                .Select(c => new ContactView(c.Customer!.Name, c.Customer.Email, c.Customer.Phone)).FirstOrDefaultAsync(ct);
        }
        if (!forCare && allowed is { SeesFullHistory: true })
        {
            history = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == h.ConversationId && m.Direction != MessageDirection.Note)
                .OrderBy(m => m.Id)
                .Select(m => new HistoryLine(m.Direction.ToString().ToLowerInvariant(), m.AuthorName, m.Text, m.SentAt))
                .ToListAsync(ct);
        }
        var files = await ConversationFiles.ListAsync(db, h.ConversationId, ct);
        return new HandoffCard(h.Key, h.ConversationId, h.DepartmentKey, h.Status.ToString().ToLowerInvariant(), h.Concern, h.Request, h.CustomerWords,
            h.OrderNumber, h.Sku, h.Size, h.Colour, lines, [.. files.Select(f => HandoffFile.Of(h.Key, f))], h.RequestedBy, h.RequestedAt, h.AcknowledgeDueAt, h.CompleteDueAt,
            h.AcknowledgedAt, h.ClosedAt, h.Answer, h.RejectReason, contact, history);
    }
}
