using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage;

/// <summary>
/// Triages stored inbound messages: what the text says comes from the engine, who sent it from the
/// database (the customer's tier, how often they wrote lately), and both land on the message and its case.
/// </summary>
public sealed class MessageTriager(TriageEngine engine, IOptions<TriageOptions> options, TimeProvider time, Routing.ConversationRouter router)
{
    private readonly int _maxAtIntake = options.Value.MaxConcurrentAtIntake > 0
        ? options.Value.MaxConcurrentAtIntake
        : Math.Max(1, Environment.ProcessorCount / 2);

    private int _atIntake;

    /// <summary>How far back the customer's earlier messages count as recent contacts.</summary>
    public TimeSpan RecentContactsWindow => options.Value.RecentContactsWindow;

    /// <summary>
    /// What the text alone says, computed before the message reaches the intake writer; null without models,
    /// and null when as many messages are being triaged at intake as the limit allows: in a burst the rest are
    /// stored untriaged and the backfill triages them moments later, so triage never holds intake back.
    /// </summary>
    public TriageResult? ReadText(string text)
    {
        if (Interlocked.Increment(ref _atIntake) > _maxAtIntake)
        {
            Interlocked.Decrement(ref _atIntake);
            return null;
        }
        try
        {
            return engine.Triage(text);
        }
        finally
        {
            Interlocked.Decrement(ref _atIntake);
        }
    }

    /// <summary>
    /// Completes a triage of the text with the sender's context and records it. <paramref name="fromText"/>
    /// is the earlier <see cref="ReadText"/> result, if any; returns false when there are no models.
    /// </summary>
    public async Task<bool> RecordAsync(
        MemberCareDb db,
        Message message,
        Conversation conversation,
        CustomerTier tier,
        bool newest,
        TriageResult? fromText,
        CancellationToken ct)
    {
        var recent = await CountRecentContactsAsync(db, conversation.CustomerId, message, ct);
        if (!Record(message, conversation, tier, recent, newest, fromText))
        {
            return false;
        }
        if (newest)
        {
            await router.RouteAsync(db, message, conversation, tier, ct);
        }
        return true;
    }

    /// <summary>
    /// Completes and records a triage when the caller already knows how often the customer wrote lately
    /// (intake reads that for a whole batch at once, and routes the batch once its rows are written);
    /// returns false when there are no models.
    /// </summary>
    public bool Record(Message message, Conversation conversation, CustomerTier tier, int recentContacts, bool newest, TriageResult? fromText)
    {
        var context = new TriageContext(tier, recentContacts, message.Channel);
        TriageResult? result;
        if (fromText is not null)
        {
            result = fromText with { Urgency = UrgencyRules.Assess(message.Text, fromText.Concern, fromText.Sentiment, context) };
        }
        else
        {
            result = engine.Triage(message.Text, context);
        }
        if (result is null)
        {
            return false;
        }
        var triage = result.ToMessageTriage();
        var now = time.GetUtcNow();
        message.RecordTriage(triage, now);
        conversation.ApplyTriage(triage, newest, now);
        return true;
    }

    /// <summary>The customer's inbound messages in the window before this one, on any channel.</summary>
    public Task<int> CountRecentContactsAsync(MemberCareDb db, long customerId, Message message, CancellationToken ct)
    {
        if (customerId == 0)
        {
            return Task.FromResult(0);
        }
        var since = message.CreatedAt - options.Value.RecentContactsWindow;
        var until = message.CreatedAt;
        var id = message.Id;
        return db.Conversations
            .Where(c => c.CustomerId == customerId && c.LastMessageAt >= since)
            .SelectMany(c => c.Messages)
            .CountAsync(m => m.Direction == MessageDirection.Inbound && m.CreatedAt >= since && m.CreatedAt <= until && m.Id != id, ct);
    }
}
