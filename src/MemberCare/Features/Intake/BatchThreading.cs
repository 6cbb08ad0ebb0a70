using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Intake;

/// <summary>
/// Threads a whole batch with a fixed number of round trips: one query each for the messages already stored,
/// the identities the batch names, their customers and those customers' open conversations (and, for triage,
/// their recent messages). The messages are then threaded in arrival order against what was read plus what the
/// batch itself creates, so the result is what threading them one by one would give; the new and changed rows
/// are written with prepared commands (<see cref="PreparedRows"/>). Nothing outlives the batch: another node
/// may change any of it before the next one.
/// </summary>
internal sealed class BatchThreading(MemberCareDb db, IReadOnlyList<InboundMessage> messages, DateTimeOffset now, DateTimeOffset? recentSince = null, IntakeStages? stages = null)
{
    private readonly Dictionary<(Channel Channel, string Handle), Customer> _owners = [];
    private readonly Dictionary<Customer, List<Conversation>> _open = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Conversation, Customer> _customerOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, int> _recentStored = [];
    private readonly List<Customer> _customers = [];
    private readonly List<Conversation> _conversations = [];
    private readonly List<Threaded> _created = [];
    private readonly PreparedRows _rows = new(db);
    private Dictionary<(Channel, string), IntakeOutcome> _stored = [];
    private readonly Dictionary<(Channel, string), int> _firstInBatch = [];

    /// <summary>A message this batch stores (not a duplicate), with where it went; Index is its place in the batch.</summary>
    public sealed record Threaded(int Index, Message Message, Conversation Conversation, Customer Customer);

    /// <summary>The messages the batch stores (not the duplicates), after <see cref="ThreadAsync"/>.</summary>
    public IReadOnlyList<Threaded> Created => _created;

    /// <summary>Threads and stores the batch; throws when a write fails (another node won a race) or a message breaks a domain rule.</summary>
    public async Task<IntakeOutcome[]> RunAsync()
    {
        await ThreadAsync();
        return await StoreAsync();
    }

    /// <summary>Reads what the batch needs and threads every message in memory; nothing is written yet.</summary>
    public async Task ThreadAsync()
    {
        var started = stages?.Start() ?? 0;
        _stored = await StoredAsync();
        stages?.Add(IntakeStage.ReadStored, started);
        await ReadCustomersAsync();
        started = stages?.Start() ?? 0;

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var key = (message.Channel, message.ExternalId);
            if (_stored.ContainsKey(key) || !_firstInBatch.TryAdd(key, i))
            {
                continue;
            }
            var customer = FindOrCreateCustomer(message);
            var conversation = OpenConversation(customer, message);
            var inbound = conversation.ReceiveInbound(message.ExternalId, message.Text, message.SentAt, message.Customer.Name, message.RawPayload, now);
            conversation.ReferOrder(message.OrderNumber);
            _created.Add(new Threaded(i, inbound, conversation, customer));
        }
        stages?.Add(IntakeStage.Thread, started);
    }

    /// <summary>
    /// The customer's inbound messages since the recent-contacts window began, before this one: those stored
    /// earlier (counted up to <see cref="Triage.UrgencyRules.RepeatedContacts"/>, the only threshold triage asks
    /// about) plus those earlier in this batch, so the answer to "at least that many?" is what counting after each
    /// message's own commit would give.
    /// </summary>
    public int RecentContactsBefore(Threaded made)
    {
        var stored = _rows.IdOf(made.Customer) is var id and not 0 ? _recentStored.GetValueOrDefault(id) : 0;
        return stored + _created.TakeWhile(c => !ReferenceEquals(c, made)).Count(c => ReferenceEquals(c.Customer, made.Customer));
    }

    /// <summary>Writes the customers, identities, conversations and messages the batch created or changed.</summary>
    public async Task<IntakeOutcome[]> StoreAsync()
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var customer in _customers)
            {
                if (_rows.IdOf(customer) == 0)
                {
                    await _rows.InsertAsync(customer);
                }
                else
                {
                    await _rows.UpdateAsync(customer);
                }
                foreach (var identity in customer.Identities.Where(i => _rows.IdOf(i) == 0))
                {
                    await _rows.InsertAsync(identity, (nameof(CustomerIdentity.CustomerId), _rows.IdOf(customer)));
                }
            }
            foreach (var conversation in _conversations)
            {
                if (_rows.IdOf(conversation) == 0)
                {
                    await _rows.InsertAsync(conversation, (nameof(Conversation.CustomerId), _rows.IdOf(_customerOf[conversation])));
                }
                else
                {
                    await _rows.UpdateAsync(conversation);
                }
            }
            foreach (var made in _created)
            {
                await _rows.InsertAsync(made.Message, (nameof(Message.ConversationId), _rows.IdOf(made.Conversation)));
            }
        }
        finally
        {
            await _rows.DisposeCommandsAsync();
            await db.Database.CloseConnectionAsync();
        }

        var result = new IntakeOutcome[messages.Count];
        var outcomes = _created.ToDictionary(c => c.Index, c => new IntakeOutcome(_rows.IdOf(c.Conversation), _rows.IdOf(c.Message), _rows.IdOf(c.Customer), Created: true));
        for (var i = 0; i < messages.Count; i++)
        {
            var key = (messages[i].Channel, messages[i].ExternalId);
            result[i] = _stored.TryGetValue(key, out var earlier) ? earlier
                : outcomes.TryGetValue(i, out var made) ? made
                : outcomes[_firstInBatch[key]] with { Created = false };
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

        var started = stages?.Start() ?? 0;
        var channels = wanted.Select(w => w.Channel).Distinct().ToList();
        var handles = wanted.Select(w => w.Handle).Distinct().ToList();
        var identities = await db.CustomerIdentities
            .Where(i => channels.Contains(i.Channel) && handles.Contains(i.Handle))
            .Select(i => new { i.Channel, i.Handle, i.CustomerId })
            .ToListAsync();
        var owned = identities.Where(i => wanted.Contains((i.Channel, i.Handle))).ToList();
        if (owned.Count == 0)
        {
            stages?.Add(IntakeStage.ReadCustomers, started);
            return;
        }

        var customerIds = owned.Select(i => i.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Include(c => c.Identities).Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => customerIds.Contains(c.CustomerId) && c.Status != ConversationStatus.Resolved && c.Status != ConversationStatus.Closed)
            .ToListAsync();
        stages?.Add(IntakeStage.ReadCustomers, started);
        if (recentSince is { } since)
        {
            started = stages?.Start() ?? 0;
            // Triage asks only whether a customer wrote at least RepeatedContacts times lately, so each
            // conversation's count stops there: counting every message of the window made each batch slower as
            // conversations grew. Each count is a subquery on one conversation's messages, which both databases
            // answer from the (ConversationId, CreatedAt) index.
            const int Enough = Triage.UrgencyRules.RepeatedContacts;
            var recent = await db.Conversations
                .Where(c => customerIds.Contains(c.CustomerId) && c.LastMessageAt >= since)
                .Select(c => new
                {
                    c.CustomerId,
                    Count = c.Messages
                        .Where(m => m.Direction == MessageDirection.Inbound && m.CreatedAt >= since && m.CreatedAt <= now)
                        .Take(Enough)
                        .Count(),
                })
                .ToListAsync();
            foreach (var customer in recent.GroupBy(r => r.CustomerId))
            {
                _recentStored[customer.Key] = Math.Min(Enough, customer.Sum(r => r.Count));
            }
            stages?.Add(IntakeStage.ReadRecent, started);
        }

        foreach (var identity in owned)
        {
            _owners[(identity.Channel, identity.Handle)] = customers[identity.CustomerId];
        }
        foreach (var customer in customers.Values)
        {
            _rows.Read(customer);
            _open[customer] = [];
        }
        foreach (var conversation in conversations)
        {
            _rows.Read(conversation);
            var customer = customers[conversation.CustomerId];
            _customerOf[conversation] = customer;
            _open[customer].Add(conversation);
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
            _open[customer] = [];
            if (email is not null)
            {
                _owners[(Channel.Email, email)] = customer;
            }
        }
        if (!_customers.Contains(customer))
        {
            _customers.Add(customer);
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
            // A customer created in this batch has no id yet; StoreAsync fills the key once the customer is written.
            conversation = Conversation.Start(_rows.IdOf(customer), message.Channel, message.ThreadKey, message.Subject, now);
            _customerOf[conversation] = customer;
            open.Add(conversation);
        }
        if (!_conversations.Contains(conversation))
        {
            _conversations.Add(conversation);
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
