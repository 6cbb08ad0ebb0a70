using MemberCare.Domain.Conversations;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Features.Departments;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Routing;

public sealed record PreviewRequest(RuleRequest? Rule, int? Last);

public sealed record PreviewMatch(long ConversationId, string? Concern, string Channel, string? Preview, DateTimeOffset LastMessageAt);

public sealed record PreviewResult(int Checked, int Matched, IReadOnlyList<PreviewMatch> Conversations);

public enum RuleOutcome
{
    Done,
    NotFound,
    Invalid,
}

/// <summary>Rules as admins edit them. Every change bumps the routing version, so every node reloads.</summary>
public sealed class RoutingRules(IDbContextFactory<MemberCareDb> dbFactory, RuleBook book, TimeProvider time)
{
    public const int MaxPreview = 1000;

    public async Task<IReadOnlyList<RuleView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.RoutingRules.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        return [.. rules.Select(View)];
    }

    public async Task<(RuleOutcome Outcome, RuleView? Rule, IDictionary<string, string[]>? Errors)> SaveAsync(long? id, RuleRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await CheckAsync(db, request, ct);
        if (errors is not null)
        {
            return (RuleOutcome.Invalid, null, errors);
        }
        var now = time.GetUtcNow();
        RoutingRule rule;
        var conditions = RuleCompiler.Write(request.Conditions ?? []);
        var actions = RuleCompiler.Write(request.Actions);
        if (id is { } existing)
        {
            var found = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == existing, ct);
            if (found is null)
            {
                return (RuleOutcome.NotFound, null, null);
            }
            rule = found;
            rule.Change(request.Name!, request.Position ?? rule.Position, request.Enabled ?? rule.Enabled, request.Stop ?? rule.Stop, conditions, actions, now);
        }
        else
        {
            var position = request.Position ?? ((await db.RoutingRules.MaxAsync(r => (int?)r.Position, ct) ?? 0) + 10);
            rule = new RoutingRule(request.Name!, position, request.Enabled ?? true, request.Stop ?? true, conditions, actions, now);
            db.RoutingRules.Add(rule);
        }
        await SaveAndBumpAsync(db, ct);
        return (RuleOutcome.Done, View(rule), null);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return false;
        }
        db.RoutingRules.Remove(rule);
        await SaveAndBumpAsync(db, ct);
        return true;
    }

    /// <summary>Which of the last <paramref name="last"/> triaged conversations the rule would have matched; nothing is saved.</summary>
    public async Task<(PreviewResult? Result, IDictionary<string, string[]>? Errors)> PreviewAsync(RuleRequest rule, int last, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await CheckAsync(db, rule, ct);
        if (errors is not null)
        {
            return (null, errors);
        }
        var matches = RuleCompiler.Compile(rule.Conditions ?? []);
        var needsOrder = (rule.Conditions ?? []).Any(c => RuleFields.NeedsOrder(c.Field));
        var conversations = await db.Conversations.AsNoTracking().Include(c => c.Customer)
            .Where(c => c.ConcernType != null)
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(Math.Clamp(last, 1, MaxPreview)).ToListAsync(ct);
        var ids = conversations.Select(c => c.Id).ToList();
        var newest = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.ConversationId) && m.Direction == MessageDirection.Inbound)
            .GroupBy(m => m.ConversationId).Select(g => g.Max(m => m.Id)).ToListAsync(ct);
        var messages = await db.Messages.AsNoTracking().Where(m => newest.Contains(m.Id)).ToDictionaryAsync(m => m.ConversationId, ct);
        var matched = new List<PreviewMatch>();
        foreach (var conversation in conversations)
        {
            if (!messages.TryGetValue(conversation.Id, out var message))
            {
                continue;
            }
            var lines = needsOrder ? await Handoffs.OrderLinesAsync(db, conversation.OrderNumber, ct) : [];
            if (matches(ConversationRouter.FactsOf(message, conversation, conversation.Customer?.Tier ?? default, lines)))
            {
                matched.Add(new PreviewMatch(conversation.Id, conversation.ConcernType, Domain.ChannelNames.ToKey(conversation.Channel), conversation.LastMessagePreview, conversation.LastMessageAt));
            }
        }
        return (new PreviewResult(conversations.Count, matched.Count, matched), null);
    }

    private static async Task<IDictionary<string, string[]>?> CheckAsync(MemberCareDb db, RuleRequest request, CancellationToken ct)
    {
        var departments = await db.Departments.Select(d => d.Key).ToListAsync(ct);
        var macros = await db.Macros.Select(m => m.Name).Distinct().ToListAsync(ct);
        var errors = RuleCompiler.Check(request, departments, macros);
        return errors.Any ? errors.ToDictionary() : null;
    }

    private async Task SaveAndBumpAsync(MemberCareDb db, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await RuleBook.BumpAsync(db, ct);
            await transaction.CommitAsync(ct);
        }
        await book.RefreshAsync(ct);
    }

    private static RuleView View(RoutingRule r) => new(r.Id, r.Name, r.Position, r.Enabled, r.Stop,
        RuleCompiler.ReadConditions(r.Conditions), RuleCompiler.ReadActions(r.Actions), r.UpdatedAt);
}
