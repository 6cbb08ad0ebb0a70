using System.Text.Json;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Features.Departments;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Routing;

/// <summary>
/// Applies the rules to a message triage has just labelled, inside the caller's unit of work. Rules are matched in
/// memory; the database is read only for what a matching rule needs (an order's lines, an open hand-off, a template).
/// </summary>
public sealed class ConversationRouter(RuleBook book, Handoffs handoffs, TimeProvider time, ILogger<ConversationRouter> logger)
{
    public const string RouterName = "Routing";

    /// <summary>Whether any rule is enabled; intake skips routing's reads when none is.</summary>
    public bool HasRules => book.Current.Rules.Count > 0;

    /// <summary>
    /// Whether a rule may act on this message, decided in memory: intake loads and routes only these. A rule that reads
    /// the order's lines may match any message with an order number.
    /// </summary>
    public bool MayMatch(Message message, Conversation conversation, CustomerTier tier)
    {
        var snapshot = book.Current;
        if (snapshot.Rules.Count == 0)
        {
            return false;
        }
        return (snapshot.NeedsOrder && conversation.OrderNumber is not null) || snapshot.Match(FactsOf(message, conversation, tier, [])).Count > 0;
    }

    /// <summary>
    /// Loads, in three queries, what routing a batch of conversations reads and writes, so routing each one afterwards
    /// asks the database nothing more unless a rule needs an order or a template.
    /// </summary>
    public static async Task<RoutingBatch> LoadAsync(MemberCareDb db, IReadOnlyCollection<long> conversationIds, IReadOnlyCollection<long> messageIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var conversations = await db.Conversations.Where(c => conversationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var messages = await db.Messages.Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var routings = await db.ConversationRoutings.Where(r => conversationIds.Contains(r.ConversationId)).ToDictionaryAsync(r => r.ConversationId, ct);
        var openHandoffs = await db.Handoffs
            .Where(h => conversationIds.Contains(h.ConversationId) && (h.Status == HandoffStatus.Requested || h.Status == HandoffStatus.Acknowledged))
            .Select(h => new { h.ConversationId, h.DepartmentKey })
            .ToListAsync(ct);
        var orderNumbers = conversations.Values.Select(c => c.OrderNumber).OfType<string>().Distinct().ToList();
        var lines = orderNumbers.Count == 0
            ? []
            : await db.Orders.AsNoTracking().Where(o => orderNumbers.Contains(o.Number))
                .SelectMany(o => o.Lines, (o, l) => new { o.Number, l.Id, l.Sku, l.ProductName, l.Size, l.Colour, l.Quantity, l.Supplier })
                .ToListAsync(ct);
        return new RoutingBatch(conversations, messages, routings,
            openHandoffs.Select(h => (h.ConversationId, h.DepartmentKey)).ToHashSet(),
            lines.GroupBy(l => l.Number).ToDictionary(g => g.Key, g => (IReadOnlyList<OrderLineView>)[.. g.OrderBy(l => l.Id).Select(l => new OrderLineView(l.Sku, l.ProductName, l.Size, l.Colour, l.Quantity, l.Supplier))]));
    }

    public async Task RouteAsync(MemberCareDb db, Message message, Conversation conversation, CustomerTier tier, CancellationToken ct) =>
        await RouteAsync(db, message, conversation, tier, null, ct);

    public async Task RouteAsync(MemberCareDb db, Message message, Conversation conversation, CustomerTier tier, RoutingBatch? batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(conversation);
        var snapshot = book.Current;
        if (snapshot.Rules.Count == 0)
        {
            return;
        }
        try
        {
            var lines = snapshot.NeedsOrder ? await OrderLinesAsync(db, conversation, batch, ct) : [];
            var facts = FactsOf(message, conversation, tier, lines);
            foreach (var rule in snapshot.Match(facts))
            {
                foreach (var action in rule.Actions)
                {
                    await ApplyAsync(db, snapshot, rule, action, message, conversation, batch, ct);
                }
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DbUpdateException))
        {
            logger.LogError(ex, "Routing failed for conversation {Id}; it stays with care", conversation.Id);
        }
    }

    public static RoutingFacts FactsOf(Message message, Conversation conversation, CustomerTier tier, IReadOnlyList<OrderLineView> lines)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(conversation);
        var skus = new List<string>();
        if (message.Entities is { } json)
        {
            try
            {
                using var entities = JsonDocument.Parse(json);
                if (entities.RootElement.TryGetProperty("skus", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    skus.AddRange(list.EnumerateArray().Select(e => e.GetString()).OfType<string>());
                }
            }
            catch (JsonException)
            {
                // Stored by triage; unreadable entities only mean no SKUs from the text.
            }
        }
        skus.AddRange(lines.Select(l => l.Sku));
        return new RoutingFacts(
            message.Concern ?? conversation.ConcernType,
            message.ConcernConfidence ?? conversation.ConcernConfidence,
            conversation.Channel.ToKey(),
            message.Language ?? conversation.Language,
            message.Sentiment ?? conversation.Sentiment,
            message.Urgency ?? conversation.Urgency,
            tier.ToString().ToLowerInvariant(),
            message.Text,
            skus,
            [.. lines.Select(l => l.Supplier).OfType<string>().Distinct()],
            [.. lines.Select(l => l.Product)]);
    }

    private async Task ApplyAsync(MemberCareDb db, RoutingSnapshot snapshot, CompiledRule rule, RuleAction action, Message message, Conversation conversation, RoutingBatch? batch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        switch (action.Type)
        {
            case RuleActionTypes.Handoff:
                if (!snapshot.Departments.TryGetValue(action.Value, out var department))
                {
                    return;
                }
                // A batch keeps its own set of open hand-offs: DbSet.Local would detect changes over every tracked entity
                // of the batch for each message.
                var covered = batch is not null && batch.Covers(conversation.Id);
                var alreadyOpen = covered
                    ? batch!.OpenHandoffs.Contains((conversation.Id, department.Key))
                    : db.Handoffs.Local.Any(h => h.ConversationId == conversation.Id && h.DepartmentKey == department.Key && h.IsOpen)
                        || await db.Handoffs.AnyAsync(h => h.ConversationId == conversation.Id && h.DepartmentKey == department.Key
                            && (h.Status == HandoffStatus.Requested || h.Status == HandoffStatus.Acknowledged), ct);
                if (!alreadyOpen && conversation.Status is not (ConversationStatus.Resolved or ConversationStatus.Closed))
                {
                    var lines = covered ? await OrderLinesAsync(db, conversation, batch, ct) : null;
                    await handoffs.OpenAsync(db, conversation, department, message.Text, message.Entities, $"Routed by rule '{rule.Name}'",
                        new HandoffActor(RouterName, null), rule.Id, ct, lines);
                    if (covered)
                    {
                        batch!.OpenHandoffs.Add((conversation.Id, department.Key));
                    }
                }
                break;
            case RuleActionTypes.Priority when Enum.TryParse<Priority>(action.Value, ignoreCase: true, out var priority):
                if (priority > conversation.Priority)
                {
                    conversation.SetPriority(priority, now);
                }
                break;
            case RuleActionTypes.Tag:
                (await RoutingOfAsync(db, conversation.Id, batch, ct)).Tag(action.Value);
                break;
            case RuleActionTypes.Team:
                (await RoutingOfAsync(db, conversation.Id, batch, ct)).AssignTeam(action.Value);
                break;
            case RuleActionTypes.AutoReply:
                var routing = await RoutingOfAsync(db, conversation.Id, batch, ct);
                if (routing.AutoRepliedAt is not null || conversation.Status == ConversationStatus.Closed)
                {
                    return;
                }
                var language = (message.Language ?? conversation.Language) is "no" or "nb" or "nn" ? "nb" : "en";
                var templates = await db.Macros.AsNoTracking().Where(m => m.Name == action.Value).ToListAsync(ct);
                var template = templates.FirstOrDefault(m => m.Language == language) ?? templates.FirstOrDefault();
                if (template is not null)
                {
                    var first = message.AuthorName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                    var text = Domain.Workspace.Macro.Render(template.Body, new Dictionary<string, string?>
                    {
                        ["customer.first_name"] = first,
                        ["customer.name"] = message.AuthorName,
                        ["order.number"] = conversation.OrderNumber,
                        ["conversation.id"] = conversation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                    conversation.AutoReply(RouterName, text, now);
                    routing.AutoReplied(now);
                }
                break;
            default:
                break;
        }
    }

    private static async Task<ConversationRouting> RoutingOfAsync(MemberCareDb db, long conversationId, RoutingBatch? batch, CancellationToken ct)
    {
        if (batch is not null && batch.Covers(conversationId))
        {
            if (!batch.Routings.TryGetValue(conversationId, out var held))
            {
                held = new ConversationRouting(conversationId);
                db.ConversationRoutings.Add(held);
                batch.Routings[conversationId] = held;
            }
            return held;
        }
        var routing = db.ConversationRoutings.Local.FirstOrDefault(r => r.ConversationId == conversationId)
            ?? await db.ConversationRoutings.FirstOrDefaultAsync(r => r.ConversationId == conversationId, ct);
        if (routing is null)
        {
            routing = new ConversationRouting(conversationId);
            db.ConversationRoutings.Add(routing);
        }
        return routing;
    }

    private static async Task<IReadOnlyList<OrderLineView>> OrderLinesAsync(MemberCareDb db, Conversation conversation, RoutingBatch? batch, CancellationToken ct)
    {
        if (conversation.OrderNumber is not { } number)
        {
            return [];
        }
        if (batch is not null && batch.Covers(conversation.Id))
        {
            return batch.OrderLines.TryGetValue(number, out var lines) ? lines : [];
        }
        return await Handoffs.OrderLinesAsync(db, number, ct);
    }
}

/// <summary>
/// What <see cref="ConversationRouter.LoadAsync"/> read for a batch, kept up to date while the batch is routed: the
/// tracked conversations, messages and routing rows, the open hand-offs of those conversations, and the lines of their
/// orders. Routing a message of the batch asks the database nothing more unless a rule needs a template.
/// </summary>
public sealed record RoutingBatch(
    IReadOnlyDictionary<long, Conversation> Conversations,
    IReadOnlyDictionary<long, Message> Messages,
    Dictionary<long, ConversationRouting> Routings,
    HashSet<(long ConversationId, string DepartmentKey)> OpenHandoffs,
    IReadOnlyDictionary<string, IReadOnlyList<OrderLineView>> OrderLines)
{
    public bool Covers(long conversationId) => Conversations.ContainsKey(conversationId);
}
