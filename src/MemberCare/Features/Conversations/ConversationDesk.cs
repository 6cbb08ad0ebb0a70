using System.Globalization;
using System.Text;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Features.Delivery;
using MemberCare.Features.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Conversations;

public enum DeskOutcome
{
    Done,
    NotFound,
    IllegalTransition,
    Closed,
}

/// <summary>What an agent does with conversations: list, read, reply, note, move along the statuses.</summary>
public sealed class ConversationDesk(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time, IWorkspaceFeed feed, PlatformReplies platformReplies,
    Channels.Email.EmailReplies emailReplies)
{
    public const int MaxLimit = 200;

    public async Task<ConversationPage> ListAsync(ConversationFilter filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Conversations.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        if (filter.Channel is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }
        if (filter.CustomerId is { } customerId)
        {
            query = query.Where(c => c.CustomerId == customerId);
        }
        if (filter.UpdatedSince is { } since)
        {
            var utc = since.ToUniversalTime();
            query = query.Where(c => c.UpdatedAt >= utc);
        }
        if (Cursor.TryDecode(filter.Cursor, out var afterUpdatedAt, out var afterId))
        {
            query = query.Where(c => c.UpdatedAt < afterUpdatedAt || (c.UpdatedAt == afterUpdatedAt && c.Id < afterId));
        }
        var limit = Math.Clamp(filter.Limit, 1, MaxLimit);
        var rows = await query
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Take(limit + 1)
            .Select(c => new
            {
                c.Id,
                c.CustomerId,
                CustomerName = c.Customer!.Name,
                c.Channel,
                c.Status,
                c.Priority,
                c.Subject,
                c.ConcernType,
                c.Sentiment,
                c.Language,
                c.OrderNumber,
                c.AssigneeId,
                c.MessageCount,
                c.LastMessagePreview,
                c.CreatedAt,
                c.UpdatedAt,
                c.LastMessageAt,
            })
            .ToListAsync(ct);
        var items = rows.Take(limit).Select(c => new ConversationSummary(
            c.Id, c.CustomerId, c.CustomerName, c.Channel.ToKey(), c.Status.ToKey(), c.Priority.ToString().ToLowerInvariant(),
            c.Subject, c.ConcernType, c.Sentiment, c.Language, c.OrderNumber, c.AssigneeId, c.MessageCount, c.LastMessagePreview,
            c.CreatedAt, c.UpdatedAt, c.LastMessageAt)).ToList();
        var next = rows.Count > limit ? Cursor.Encode(items[^1].UpdatedAt, items[^1].Id) : null;
        return new ConversationPage(items, next);
    }

    public async Task<ConversationDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking()
            .Include(c => c.Customer!).ThenInclude(c => c.Identities)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id, ct);
        if (conversation is null)
        {
            return null;
        }
        var stored = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(ct);
        var messages = stored.Select(m => new MessageView(
            m.Id, m.Direction.ToString().ToLowerInvariant(), m.Channel.ToKey(), m.ExternalId, m.AuthorName, m.Text, m.SentAt, m.CreatedAt,
            m.Direction == MessageDirection.Inbound
                ? new MessageTriageView(m.Concern, m.ConcernConfidence, m.Sentiment, m.Language, m.Urgency,
                    m.Entities is null ? null : System.Text.Json.Nodes.JsonNode.Parse(m.Entities), m.Department, m.TriagedAt, m.TriageModelVersion)
                : null,
            m.Delivery?.ToString().ToLowerInvariant(), m.DeliveryError)).ToList();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == conversation.CustomerId)
            .OrderByDescending(o => o.PlacedAt)
            .Take(20)
            .Include(o => o.Lines)
            .ToListAsync(ct);
        var customer = conversation.Customer!;
        return new ConversationDetail(
            Summarize(conversation, customer.Name),
            conversation.FirstResponseAt,
            conversation.ResolvedAt,
            conversation.ClosedAt,
            [.. ConversationStatuses.AllowedFrom(conversation.Status).Select(s => s.ToKey())],
            messages,
            new CustomerView(customer.Id, customer.Name, customer.Email, customer.Phone, customer.Tier.ToString().ToLowerInvariant(), customer.LifetimeValue,
                [.. customer.Identities.OrderBy(i => i.Channel).Select(i => new IdentityView(i.Channel.ToKey(), i.Handle))]),
            [.. orders.Select(o => new OrderView(o.Id, o.Number, o.Status.ToString().ToLowerInvariant(), o.Currency, o.Total, o.PlacedAt, o.ShippedAt, o.DeliveredAt, o.Carrier,
                [.. o.Lines.Select(l => new OrderLineView(l.Sku, l.ProductName, l.Size, l.Colour, l.Supplier, l.Quantity, l.UnitPrice))]))]);
    }

    public Task<(DeskOutcome Outcome, MessageView? Message)> ReplyAsync(long id, string author, string text, CancellationToken ct) =>
        WriteAsync(id, c => c.Status == ConversationStatus.Closed ? null : c.Reply(author, text, time.GetUtcNow()), ct, SendReplyAsync);

    public Task<(DeskOutcome Outcome, MessageView? Message)> AddNoteAsync(long id, string author, string text, CancellationToken ct) =>
        WriteAsync(id, c => c.AddNote(author, text, time.GetUtcNow()), ct);

    public async Task<(DeskOutcome Outcome, ConversationStatus? Current)> ChangeStatusAsync(long id, ConversationStatus to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (conversation is null)
        {
            return (DeskOutcome.NotFound, null);
        }
        if (!conversation.TryMoveTo(to, time.GetUtcNow()))
        {
            return (DeskOutcome.IllegalTransition, conversation.Status);
        }
        await db.SaveChangesAsync(ct);
        await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.ConversationChanged, id)], ct);
        return (DeskOutcome.Done, conversation.Status);
    }

    /// <summary>Gives the case to a colleague (by user id), or to nobody.</summary>
    public async Task<DeskOutcome> AssignAsync(long id, string? assigneeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (conversation is null)
        {
            return DeskOutcome.NotFound;
        }
        conversation.AssignTo(assigneeId, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.ConversationChanged, id)], ct);
        return DeskOutcome.Done;
    }

    /// <summary>An agent's reply leaves on the conversation's own channel: a platform reply or an e-mail, queued in the outbox.</summary>
    private async Task SendReplyAsync(MemberCareDb db, Conversation conversation, Message reply, CancellationToken ct)
    {
        await platformReplies.EnqueueAsync(db, conversation, reply, ct);
        await emailReplies.EnqueueAsync(db, conversation, reply, time.GetUtcNow(), ct);
    }

    private async Task<(DeskOutcome, MessageView?)> WriteAsync(long id, Func<Conversation, Message?> write, CancellationToken ct,
        Func<MemberCareDb, Conversation, Message, CancellationToken, Task>? andThen = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (conversation is null)
        {
            return (DeskOutcome.NotFound, null);
        }
        var message = write(conversation);
        if (message is null)
        {
            return (DeskOutcome.Closed, null);
        }
        if (andThen is null)
        {
            await db.SaveChangesAsync(ct);
        }
        else
        {
            // The reply and what announces it (an outbox row) commit together or not at all.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await andThen(db, conversation, message, ct);
            await transaction.CommitAsync(ct);
        }
        await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.MessageAdded, id)], ct);
        return (DeskOutcome.Done, new MessageView(message.Id, message.Direction.ToString().ToLowerInvariant(), message.Channel.ToKey(), message.ExternalId, message.AuthorName, message.Text, message.SentAt, message.CreatedAt,
            Delivery: message.Delivery?.ToString().ToLowerInvariant(), DeliveryError: message.DeliveryError));
    }

    private static ConversationSummary Summarize(Conversation c, string customerName) => new(
        c.Id, c.CustomerId, customerName, c.Channel.ToKey(), c.Status.ToKey(), c.Priority.ToString().ToLowerInvariant(),
        c.Subject, c.ConcernType, c.Sentiment, c.Language, c.OrderNumber, c.AssigneeId, c.MessageCount, c.LastMessagePreview,
        c.CreatedAt, c.UpdatedAt, c.LastMessageAt);

    /// <summary>Keyset paging: the cursor is the last row's (updated, id), so page 1,000 costs what page 1 costs.</summary>
    internal static class Cursor
    {
        public static string Encode(DateTimeOffset updatedAt, long id) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{updatedAt.UtcTicks}:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryDecode(string? cursor, out DateTimeOffset updatedAt, out long id)
        {
            updatedAt = default;
            id = 0;
            if (string.IsNullOrEmpty(cursor))
            {
                return false;
            }
            try
            {
                var padded = cursor.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - padded.Length % 4) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
                if (parts.Length != 2
                    || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id)
                    || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                {
                    return false;
                }
                updatedAt = new DateTimeOffset(ticks, TimeSpan.Zero);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        public static bool IsValid(string? cursor) => string.IsNullOrEmpty(cursor) || TryDecode(cursor, out _, out _);
    }
}
