using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Intake;

/// <summary>
/// Threads a whole batch with a fixed number of round trips: one query each for the messages already stored,
/// the identities the batch names, their customers and those customers' open conversations, then one
/// SaveChanges. The messages are then threaded in arrival order against what was read plus what the batch
/// itself creates, so the result is what threading them one by one would give. Nothing outlives the batch:
/// another node may change any of it before the next one.
/// </summary>
internal sealed class BatchThreading(MemberCareDb db, IReadOnlyList<InboundMessage> messages, DateTimeOffset now)
{
    private readonly Dictionary<(Channel Channel, string Handle), Customer> _owners = [];
    private readonly Dictionary<Customer, List<Conversation>> _open = new(ReferenceEqualityComparer.Instance);
    private readonly List<Threaded> _created = [];

    /// <summary>A message this batch stored, with where it went; Index is its place in the batch.</summary>
    public sealed record Threaded(int Index, Message Message, Conversation Conversation, Customer Customer);

    /// <summary>The messages the batch stored (not the duplicates), after <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<Threaded> Created => _created;

    /// <summary>Throws, leaving the caller to thread one by one, when SaveChanges fails (another node won a race) or a message breaks a domain rule.</summary>
    public async Task<IntakeOutcome[]> RunAsync()
    {
        var stored = await StoredAsync();
        await ReadCustomersAsync();

        var outcomes = new IntakeOutcome?[messages.Count];
        var created = new (Conversation Conversation, Message Message, Customer Customer)?[messages.Count];
        var firstInBatch = new Dictionary<(Channel, string), int>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var key = (message.Channel, message.ExternalId);
            if (stored.TryGetValue(key, out var earlier))
            {
                outcomes[i] = earlier;
                continue;
            }
            if (firstInBatch.ContainsKey(key))
            {
                continue;
            }
            firstInBatch[key] = i;

            var customer = FindOrCreateCustomer(message);
            var conversation = OpenConversation(customer, message);
            var inbound = conversation.ReceiveInbound(message.ExternalId, message.Text, message.SentAt, message.Customer.Name, message.RawPayload, now);
            conversation.ReferOrder(message.OrderNumber);
            created[i] = (conversation, inbound, customer);
        }

        await db.SaveChangesAsync();
        for (var i = 0; i < messages.Count; i++)
        {
            if (created[i] is { } made)
            {
                _created.Add(new Threaded(i, made.Message, made.Conversation, made.Customer));
            }
        }

        var result = new IntakeOutcome[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (outcomes[i] is { } known)
            {
                result[i] = known;
            }
            else if (created[i] is { } made)
            {
                result[i] = new IntakeOutcome(made.Conversation.Id, made.Message.Id, made.Customer.Id, Created: true);
            }
            else
            {
                var first = created[firstInBatch[(messages[i].Channel, messages[i].ExternalId)]]!.Value;
                result[i] = new IntakeOutcome(first.Conversation.Id, first.Message.Id, first.Customer.Id, Created: false);
            }
        }
        return result;
    }

    private async Task<Dictionary<(Channel, string), IntakeOutcome>> StoredAsync()
    {
        var channels = messages.Select(m => m.Channel).Distinct().ToList();
        var externalIds = messages.Select(m => m.ExternalId).Distinct().ToList();
        // Both columns of the unique index are constrained, so the lookup stays an index search.
        var rows = await db.Messages
            .Where(m => channels.Contains(m.Channel) && externalIds.Contains(m.ExternalId!))
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new { m.Channel, m.ExternalId, m.Id, m.ConversationId, c.CustomerId })
            .ToListAsync();
        return rows.ToDictionary(
            r => (r.Channel, r.ExternalId!),
            r => new IntakeOutcome(r.ConversationId, r.Id, r.CustomerId, Created: false));
    }

    private async Task ReadCustomersAsync()
    {
        var wanted = new HashSet<(Channel Channel, string Handle)>();
        foreach (var message in messages)
        {
            var (email, handle) = Addresses(message);
            if (handle is not null)
            {
                wanted.Add((message.Channel, handle));
            }
            if (email is not null)
            {
                wanted.Add((Channel.Email, email));
            }
        }
        if (wanted.Count == 0)
        {
            return;
        }

        var channels = wanted.Select(w => w.Channel).Distinct().ToList();
        var handles = wanted.Select(w => w.Handle).Distinct().ToList();
        var identities = await db.CustomerIdentities
            .Where(i => channels.Contains(i.Channel) && handles.Contains(i.Handle))
            .Select(i => new { i.Channel, i.Handle, i.CustomerId })
            .ToListAsync();
        var owned = identities.Where(i => wanted.Contains((i.Channel, i.Handle))).ToList();
        if (owned.Count == 0)
        {
            return;
        }

        var customerIds = owned.Select(i => i.CustomerId).Distinct().ToList();
        var customers = await db.Customers.Include(c => c.Identities).Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var conversations = await db.Conversations
            .Where(c => customerIds.Contains(c.CustomerId) && c.Status != ConversationStatus.Resolved && c.Status != ConversationStatus.Closed)
            .ToListAsync();

        foreach (var identity in owned)
        {
            _owners[(identity.Channel, identity.Handle)] = customers[identity.CustomerId];
        }
        foreach (var customer in customers.Values)
        {
            _open[customer] = [];
        }
        foreach (var conversation in conversations)
        {
            _open[customers[conversation.CustomerId]].Add(conversation);
        }
    }

    /// <summary>The same rules as threading one message: the handle on the writing channel is the stronger proof.</summary>
    private Customer FindOrCreateCustomer(InboundMessage message)
    {
        var (email, handle) = Addresses(message);
        var byHandle = handle is not null ? _owners.GetValueOrDefault((message.Channel, handle)) : null;
        var byEmail = email is not null ? _owners.GetValueOrDefault((Channel.Email, email)) : null;
        var existing = byHandle ?? byEmail;

        Customer customer;
        if (existing is not null)
        {
            customer = existing;
        }
        else
        {
            customer = Customer.Create(message.Customer.Name ?? message.Customer.Handle, email, now);
            db.Customers.Add(customer);
            _open[customer] = [];
            if (email is not null)
            {
                _owners[(Channel.Email, email)] = customer;
            }
        }
        // An identity another customer already owns is left alone: merging people is a decision for an agent.
        if (handle is not null && byHandle is null && customer.AddIdentity(message.Channel, handle))
        {
            _owners[(message.Channel, handle)] = customer;
        }
        if (email is not null && existing is not null && byEmail is null && customer.AddIdentity(Channel.Email, email))
        {
            _owners[(Channel.Email, email)] = customer;
        }
        return customer;
    }

    private Conversation OpenConversation(Customer customer, InboundMessage message)
    {
        var open = _open[customer];
        var conversation = open
            .Where(c => c.Channel == message.Channel && c.AcceptsInbound && (message.ThreadKey == null || c.ThreadKey == message.ThreadKey))
            .OrderByDescending(c => c.LastMessageAt)
            .FirstOrDefault();
        if (conversation is null)
        {
            conversation = Conversation.Start(customer.Id, message.Channel, message.ThreadKey, message.Subject, now);
            db.Conversations.Add(conversation);
            // A customer created in this batch has no id until SaveChanges; the navigation carries the key then.
            db.Entry(conversation).Reference(c => c.Customer).CurrentValue = customer;
            open.Add(conversation);
        }
        return conversation;
    }

    private static (string? Email, string? Handle) Addresses(InboundMessage message)
    {
        var email = CustomerIdentity.NormalizeHandle(Channel.Email, message.Customer.Email);
        var handle = CustomerIdentity.NormalizeHandle(message.Channel, message.Customer.Handle);
        return message.Channel == Channel.Email ? (email ?? handle, null) : (email, handle);
    }
}
