using MemberCare.Domain.Orders;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Spikes;

/// <summary>A triaged message as detection reads it, with the order number of its conversation.</summary>
public sealed record CountedMessage(long Id, DateTimeOffset At, bool Triaged, string? Concern, string Text, string? Entities, string? OrderNumber);

/// <summary>The signatures of stored messages, with the orders they refer to read in one query per 500 numbers.</summary>
public static class MessageSignatures
{
    public static IQueryable<CountedMessage> Read(MemberCareDb db, IQueryable<Domain.Conversations.Message> messages) =>
        messages.Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new CountedMessage(
            m.Id, m.CreatedAt, m.TriagedAt != null, m.Concern, m.Text, m.Entities, c.OrderNumber));

    /// <summary>
    /// The signatures of each counted message; text bands only when <paramref name="textBands"/> (the detector adds
    /// them itself, through <see cref="TextBands"/>, and only for bands that recur).
    /// </summary>
    public static async Task<List<(CountedMessage Message, List<SignatureKey> Keys)>> KeysAsync(
        MemberCareDb db, IReadOnlyList<CountedMessage> messages, SpikeOptions options, bool textBands, CancellationToken ct)
    {
        var counted = messages.Where(m => m.Triaged && m.Concern is not null && !options.Ignores(m.Concern)).ToList();
        var orders = await OrdersAsync(db, counted.SelectMany(OrderNumbers).Distinct().ToList(), ct);
        return [.. counted.Select(m => (m, SignatureKeys.For(
            m.Concern!, m.Text, m.Entities, [.. OrderNumbers(m).Select(orders.GetValueOrDefault).OfType<OrderFacts>()], textBands)))];
    }

    private static IEnumerable<string> OrderNumbers(CountedMessage m) =>
        SignatureKeys.OrderNumbers(m.Entities).Append(m.OrderNumber).OfType<string>().Select(Order.NormalizeNumber).Distinct();

    private static async Task<Dictionary<string, OrderFacts>> OrdersAsync(MemberCareDb db, List<string> numbers, CancellationToken ct)
    {
        var facts = new Dictionary<string, OrderFacts>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(500))
        {
            var found = await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.Number))
                .Select(o => new { o.Number, o.Carrier, o.Warehouse, Lines = o.Lines.Select(l => new OrderLineFacts(l.Sku, l.Supplier)).ToList() })
                .ToListAsync(ct);
            foreach (var o in found)
            {
                facts[o.Number] = new OrderFacts(o.Number, o.Carrier, o.Warehouse, o.Lines);
            }
        }
        return facts;
    }
}
