using System.Globalization;
using System.Text;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Orders;

namespace MemberCare.Features.Demo;

/// <summary>
/// Plans the demo shop: the same customers, orders and conversations for the same seed, with every time
/// relative to <c>now</c>. Planning is pure; the entities are made with the domain's verbs in two steps,
/// because orders and conversations need the ids the database gives the customers.
/// </summary>
internal sealed class DemoShop
{
    public const int Seed = 20_261_123;
    public const int CustomerCount = 200;
    public const int ConversationCount = 500;

    private static readonly (ConversationStatus Status, int Weight, TimeSpan Youngest, TimeSpan Oldest)[] s_statuses =
    [
        (ConversationStatus.New, 15, TimeSpan.FromMinutes(2), TimeSpan.FromHours(20)),
        (ConversationStatus.Open, 18, TimeSpan.FromMinutes(40), TimeSpan.FromDays(4)),
        (ConversationStatus.WaitingOnDepartment, 12, TimeSpan.FromHours(3), TimeSpan.FromDays(8)),
        (ConversationStatus.WaitingOnCustomer, 12, TimeSpan.FromHours(2), TimeSpan.FromDays(10)),
        (ConversationStatus.Resolved, 21, TimeSpan.FromDays(1), TimeSpan.FromDays(28)),
        (ConversationStatus.Closed, 22, TimeSpan.FromDays(6), TimeSpan.FromDays(60)),
    ];

    private static readonly (string Concern, int Weight)[] s_concerns =
    [
        ("where_is_my_order", 14), ("wrong_or_missing_item", 8), ("damaged_item", 5), ("product_quality", 8),
        ("sizing_fit", 10), ("not_as_described", 5), ("style_feedback", 4), ("return_refund", 11),
        ("order_change", 6), ("payment_billing", 6), ("website_app", 5), ("account", 3),
        ("product_question", 8), ("service_complaint", 3), ("praise", 5), ("other", 4),
    ];

    private readonly Random _random = new(Seed);
    private readonly DateTimeOffset _now;
    private readonly List<PlannedCustomer> _customers = [];
    private readonly List<PlannedOrder> _orders = [];
    private readonly List<PlannedConversation> _conversations = [];
    private readonly HashSet<string> _handles = new(StringComparer.Ordinal);
    private int _inbound;

    private DemoShop(DateTimeOffset now) => _now = now.ToUniversalTime();

    public static DemoShop Plan(DateTimeOffset now)
    {
        var shop = new DemoShop(now);
        shop.PlanCustomers();
        shop.PlanConversations();
        shop.PlanBackgroundOrders();
        shop.NumberOrders();
        return shop;
    }

    public IReadOnlyList<Customer> CreateCustomers() => [.. _customers.Select(CreateCustomer)];

    /// <summary>Orders of the customers <see cref="CreateCustomers"/> made, once the database has given them ids.</summary>
    public IReadOnlyList<Order> CreateOrders(IReadOnlyList<Customer> customers)
    {
        var orders = _orders.Select(o => CreateOrder(o, customers[o.Customer.Index].Id)).ToList();
        var byCustomer = orders.ToLookup(o => o.CustomerId);
        foreach (var customer in customers)
        {
            customer.RecomputeLifetimeValue(byCustomer[customer.Id]);
            customer.SetTier(TierFor(customer.LifetimeValue));
        }
        return orders;
    }

    public IReadOnlyList<Conversation> CreateConversations(IReadOnlyList<Customer> customers, IReadOnlyList<Order> orders) =>
        [.. _conversations.Select(c => CreateConversation(c, customers[c.Customer.Index], c.Order is null ? null : orders[c.Order.Index]))];

    public static CustomerTier TierFor(decimal lifetimeValue) => lifetimeValue switch
    {
        >= 25_000m => CustomerTier.Vip,
        >= 14_000m => CustomerTier.Gold,
        >= 6_000m => CustomerTier.Silver,
        _ => CustomerTier.Standard,
    };

    private void PlanCustomers()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (_customers.Count < CustomerCount)
        {
            var norwegian = _random.NextDouble() < 0.68;
            string first, last, phonePrefix;
            if (norwegian)
            {
                first = Pick(DemoCatalog.NorwegianFirstNames);
                last = Pick(DemoCatalog.NorwegianLastNames);
                phonePrefix = "+47";
            }
            else
            {
                var origin = Pick(DemoCatalog.InternationalNames);
                first = Pick(origin.First);
                last = Pick(origin.Last);
                phonePrefix = _random.NextDouble() < 0.7 ? "+47" : origin.Phone;
            }
            if (!names.Add($"{first} {last}"))
            {
                continue;
            }
            var customer = new PlannedCustomer(_customers.Count, first, last, norwegian)
            {
                CreatedAt = _now - Days(40, 1100),
            };
            // Some customers only ever write on social media; everyone else has an e-mail address.
            var socialOnly = _random.NextDouble() < 0.08;
            if (!socialOnly)
            {
                customer.Email = UniqueHandle("email", EmailCandidates(first, last));
            }
            if (socialOnly || _random.NextDouble() < 0.5)
            {
                customer.Instagram = UniqueHandle("instagram", SocialCandidates(first, last));
            }
            if (_random.NextDouble() < 0.4)
            {
                customer.Facebook = UniqueHandle("facebook", [FacebookId()]);
            }
            if (_random.NextDouble() < 0.16)
            {
                customer.X = UniqueHandle("x", XCandidates(first, last));
            }
            if (_random.NextDouble() < 0.75)
            {
                customer.Phone = UniqueHandle("phone", [PhoneNumber(phonePrefix)]);
            }
            _customers.Add(customer);
        }
    }

    private void PlanConversations()
    {
        var byBucket = DemoScripts.All.GroupBy(s => (s.Concern, s.Language)).ToDictionary(g => g.Key, g => g.ToList());
        var used = new Dictionary<DemoScript, int>();
        while (_conversations.Count < ConversationCount)
        {
            var (status, _, youngest, oldest) = Pick(s_statuses, s => s.Weight);
            var concern = Pick(s_concerns, c => c.Weight).Concern;
            var language = _random.NextDouble() < 0.55 ? "no" : "en";
            if (!byBucket.TryGetValue((concern, language), out var candidates))
            {
                continue;
            }
            var fitting = candidates.Where(s => s.ThreadFor(status) is not null).ToList();
            if (fitting.Count == 0)
            {
                continue;
            }
            // The least used script first, so that every script is used before any is used twice more.
            var fewest = fitting.Min(s => used.GetValueOrDefault(s));
            var script = Pick(fitting.Where(s => used.GetValueOrDefault(s) == fewest).ToList());
            var channel = Pick(script.Channels);
            var age = LogUniform(youngest, oldest);
            var startedAt = _now - age;
            if (FindCustomer(language, channel, status) is not { } customer)
            {
                continue;
            }
            used[script] = used.GetValueOrDefault(script) + 1;
            MakeReachable(customer, channel);
            var thread = script.ThreadFor(status)!;
            var conversation = new PlannedConversation(script, channel, status, customer, startedAt, Pick(DemoCatalog.Agents), thread)
            {
                Confidence = Math.Round(0.62 + (0.37 * _random.NextDouble()), 2),
            };
            PlanTimes(conversation);
            // Unique per channel like a platform's message ids, so intake would see them as delivered once.
            conversation.ExternalIds.AddRange(thread.Select(m => m.Direction == MessageDirection.Inbound ? $"demo-{++_inbound}" : ""));
            if (script.Order != DemoOrderState.None)
            {
                conversation.Order = PlanOrderFor(conversation);
            }
            customer.CreatedAt = Earliest(customer.CreatedAt, startedAt - Hours(2, 400));
            customer.Channels.Add(channel);
            if (status is not (ConversationStatus.Resolved or ConversationStatus.Closed))
            {
                customer.ActiveOn.Add(channel);
            }
            _conversations.Add(conversation);
        }
    }

    /// <summary>
    /// A customer who writes this language and can be reached on the channel. Intake threads a customer's
    /// messages on one channel into their open conversation, so nobody gets two open ones on the same channel.
    /// </summary>
    private PlannedCustomer? FindCustomer(string language, Channel channel, ConversationStatus status)
    {
        var active = status is not (ConversationStatus.Resolved or ConversationStatus.Closed);
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var wantNorwegian = language == "no" ? _random.NextDouble() < 0.92 : _random.NextDouble() < 0.3;
            var customer = _customers[_random.Next(_customers.Count)];
            if (customer.Norwegian != wantNorwegian && attempt < 40)
            {
                continue;
            }
            if (channel is Channel.Email or Channel.Chat or Channel.WebForm or Channel.Review && customer.Email is null)
            {
                continue;
            }
            if (active && customer.ActiveOn.Contains(channel))
            {
                continue;
            }
            return customer;
        }
        return null;
    }

    /// <summary>Whoever writes on Instagram, Facebook or X has a handle there.</summary>
    private void MakeReachable(PlannedCustomer customer, Channel channel)
    {
        switch (channel)
        {
            case Channel.Instagram:
                customer.Instagram ??= UniqueHandle("instagram", SocialCandidates(customer.FirstName, customer.LastName));
                break;
            case Channel.Facebook:
                customer.Facebook ??= UniqueHandle("facebook", [FacebookId()]);
                break;
            case Channel.X:
                customer.X ??= UniqueHandle("x", XCandidates(customer.FirstName, customer.LastName));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// When each message of the thread was written and when the case moved on: the customer waits for us, we
    /// wait for the customer or a department, and all of it lies between the start and now.
    /// </summary>
    private void PlanTimes(PlannedConversation planned)
    {
        var thread = planned.Thread;
        var live = planned.Channel is Channel.Chat;
        var gaps = new double[thread.Count];
        for (var i = 1; i < thread.Count; i++)
        {
            var (from, to) = (thread[i - 1].Direction, thread[i].Direction) switch
            {
                (_, MessageDirection.Note) => (1.0, 25.0),
                (MessageDirection.Note, MessageDirection.Outbound) => (90.0, 36 * 60.0),
                (MessageDirection.Inbound, MessageDirection.Outbound) => live ? (0.5, 6.0) : (4.0, 6 * 60.0),
                (MessageDirection.Inbound, MessageDirection.Inbound) => (20.0, 8 * 60.0),
                _ => live ? (0.5, 5.0) : (12.0, 30 * 60.0),
            };
            gaps[i] = from + ((to - from) * _random.NextDouble());
        }
        var room = (_now - planned.StartedAt).TotalMinutes * 0.85;
        var scale = Math.Min(1.0, room / Math.Max(gaps.Sum(), 1.0));
        var at = planned.StartedAt;
        foreach (var gap in gaps)
        {
            at += TimeSpan.FromMinutes(gap * scale);
            planned.Times.Add(at);
        }

        var latest = _now - TimeSpan.FromMinutes(1);
        var last = planned.Times[^1];
        planned.MovedAt = Earliest(last + TimeSpan.FromMinutes(2), latest);
        if (planned.Status is ConversationStatus.Resolved or ConversationStatus.Closed)
        {
            planned.MovedAt = Earliest(last + Minutes(5, 8 * 60), latest);
            planned.ClosedAt = Earliest(planned.MovedAt + Hours(24, 7 * 24), latest);
            if (_random.NextDouble() < (planned.Status == ConversationStatus.Closed ? 0.65 : 0.3))
            {
                planned.Satisfaction = Satisfaction(planned.Script.Sentiment, _random.NextDouble());
            }
        }
    }

    private PlannedOrder PlanOrderFor(PlannedConversation conversation)
    {
        var start = conversation.StartedAt;
        var order = new PlannedOrder(conversation.Customer) { Carrier = Pick(DemoCatalog.Carriers), Warehouse = Pick(DemoCatalog.Warehouses) };
        switch (conversation.Script.Order)
        {
            case DemoOrderState.Placed:
                order.PlacedAt = start - Minutes(8, 20 * 60);
                order.Status = OrderStatus.Placed;
                break;
            case DemoOrderState.Shipped:
                order.PlacedAt = start - Days(3, 10);
                order.ShippedAt = order.PlacedAt + Hours(3, 30);
                order.Status = OrderStatus.Shipped;
                if (conversation.Status is ConversationStatus.Resolved or ConversationStatus.Closed)
                {
                    // The case is over, so the parcel has long since arrived.
                    order.DeliveredAt = Earliest(start + Hours(20, 72), _now - TimeSpan.FromHours(1));
                    order.Status = OrderStatus.Delivered;
                }
                break;
            default:
                var deliveredAt = start - Hours(3, 12 * 24);
                var shippedAt = deliveredAt - Hours(20, 96);
                order.DeliveredAt = deliveredAt;
                order.ShippedAt = shippedAt;
                order.PlacedAt = shippedAt - Hours(2, 40);
                order.Status = OrderStatus.Delivered;
                break;
        }
        foreach (var (reference, index) in conversation.Script.Products.Select((r, i) => (r, i)))
        {
            var product = reference.Product;
            // The first product's size has a neighbour on both sides, for texts that ask for a size up or down.
            var sizeIndex = index == 0 && product.Sizes.Count > 2 ? _random.Next(1, product.Sizes.Count - 1) : _random.Next(product.Sizes.Count);
            order.Lines.Add(new PlannedLine(product, reference.Colour ?? Pick(product.Colours), sizeIndex, 1));
        }
        if (conversation.Script.Products.Count == 0 || _random.NextDouble() < 0.35)
        {
            AddRandomLines(order, conversation.Script.Products.Count == 0 ? _random.Next(1, 4) : 1);
        }
        order.Tracking = TrackingNumber(order.Carrier);
        conversation.Customer.CreatedAt = Earliest(conversation.Customer.CreatedAt, order.PlacedAt - Hours(1, 2000));
        _orders.Add(order);
        return order;
    }

    private void PlanBackgroundOrders()
    {
        foreach (var customer in _customers)
        {
            // A few loyal customers order often; most order now and then.
            var count = _random.NextDouble() switch
            {
                < 0.22 => 0,
                < 0.52 => 1,
                < 0.72 => 2,
                < 0.85 => 3,
                < 0.94 => _random.Next(4, 7),
                _ => _random.Next(8, 14),
            };
            for (var i = 0; i < count; i++)
            {
                var order = new PlannedOrder(customer) { Carrier = Pick(DemoCatalog.Carriers), Warehouse = Pick(DemoCatalog.Warehouses) };
                var recent = _random.NextDouble() < 0.06;
                order.PlacedAt = _now - (recent ? Hours(1, 100) : Days(12, 720));
                var roll = _random.NextDouble();
                if (recent)
                {
                    order.Status = roll < 0.4 ? OrderStatus.Placed : OrderStatus.Shipped;
                    order.ShippedAt = order.Status == OrderStatus.Shipped ? Earliest(order.PlacedAt + Hours(2, 30), _now - TimeSpan.FromMinutes(30)) : null;
                }
                else
                {
                    order.Status = roll switch
                    {
                        < 0.06 => OrderStatus.Cancelled,
                        < 0.15 => OrderStatus.Returned,
                        _ => OrderStatus.Delivered,
                    };
                    if (order.Status != OrderStatus.Cancelled)
                    {
                        order.ShippedAt = order.PlacedAt + Hours(3, 40);
                        order.DeliveredAt = order.ShippedAt + Hours(18, 100);
                    }
                }
                AddRandomLines(order, _random.NextDouble() < 0.55 ? 1 : _random.Next(2, 5));
                order.Tracking = TrackingNumber(order.Carrier);
                customer.CreatedAt = Earliest(customer.CreatedAt, order.PlacedAt - Hours(1, 2000));
                _orders.Add(order);
            }
        }
    }

    private void AddRandomLines(PlannedOrder order, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var product = Pick(DemoCatalog.Products);
            if (order.Lines.Any(l => l.Product == product))
            {
                continue;
            }
            order.Lines.Add(new PlannedLine(product, Pick(product.Colours), _random.Next(product.Sizes.Count), _random.NextDouble() < 0.88 ? 1 : 2));
        }
    }

    /// <summary>Order numbers rise with time, as a shop platform hands them out; other sales channels take the gaps.</summary>
    private void NumberOrders()
    {
        var next = 104_201;
        foreach (var order in _orders.Select((o, i) => (o, i)).OrderBy(x => x.o.PlacedAt).ThenBy(x => x.i).Select(x => x.o))
        {
            order.Number = next.ToString(CultureInfo.InvariantCulture);
            next += _random.Next(1, 4);
        }
        foreach (var (order, index) in _orders.Select((o, i) => (o, i)))
        {
            order.Index = index;
        }
    }

    private static Customer CreateCustomer(PlannedCustomer planned)
    {
        var customer = Customer.Create($"{planned.FirstName} {planned.LastName}", planned.Email, planned.CreatedAt);
        if (planned.Phone is not null)
        {
            customer.SetPhone(planned.Phone);
            customer.AddIdentity(Channel.Phone, planned.Phone);
        }
        if (planned.Instagram is not null)
        {
            customer.AddIdentity(Channel.Instagram, planned.Instagram);
        }
        if (planned.Facebook is not null)
        {
            customer.AddIdentity(Channel.Facebook, planned.Facebook);
        }
        if (planned.X is not null)
        {
            customer.AddIdentity(Channel.X, planned.X);
        }
        if (planned.Channels.Contains(Channel.Messenger))
        {
            // Messenger knows people by a page-scoped id, different from their Facebook profile id.
            customer.AddIdentity(Channel.Messenger, $"{planned.Index + 1:D4}{planned.FirstName.Length:D2}7731905");
        }
        return customer;
    }

    private static Order CreateOrder(PlannedOrder planned, long customerId)
    {
        var order = Order.Place(planned.Number, customerId, "NOK", planned.PlacedAt);
        foreach (var line in planned.Lines)
        {
            order.AddLine(line.Sku, line.Product.Name, line.Size, line.Colour.English, line.Product.Supplier, line.Quantity, line.Product.Price);
        }
        if (planned.ShippedAt is { } shippedAt)
        {
            order.Ship(planned.Carrier, planned.Warehouse, shippedAt, shippedAt.AddDays(3));
        }
        if (planned.DeliveredAt is { } deliveredAt)
        {
            order.Deliver(deliveredAt);
        }
        if (planned.Status == OrderStatus.Cancelled)
        {
            order.Cancel();
        }
        else if (planned.Status == OrderStatus.Returned)
        {
            order.MarkReturned();
        }
        return order;
    }

    private static Conversation CreateConversation(PlannedConversation planned, Customer customer, Order? order)
    {
        var script = planned.Script;
        var values = Placeholders(planned);
        var subject = planned.Channel is Channel.Email or Channel.WebForm && script.Subject is { } s ? Render(s, values) : null;
        var conversation = Conversation.Start(customer.Id, planned.Channel, null, subject, planned.StartedAt);
        conversation.ReferOrder(order?.Number);
        conversation.SetPriority(PriorityFor(script, customer.Tier), planned.StartedAt);
        if (planned.Status != ConversationStatus.New)
        {
            conversation.AssignTo(planned.Agent.Id, planned.StartedAt);
        }
        for (var i = 0; i < planned.Thread.Count; i++)
        {
            var text = Render(planned.Thread[i].Text, values);
            var at = planned.Times[i];
            switch (planned.Thread[i].Direction)
            {
                case MessageDirection.Inbound:
                    conversation.ReceiveInbound(planned.ExternalIds[i], text, at, customer.Name, rawPayload: null, at);
                    break;
                case MessageDirection.Outbound:
                    conversation.Reply(planned.Agent.Name, text, at);
                    break;
                default:
                    conversation.AddNote(planned.Agent.Name, text, at);
                    break;
            }
        }
        conversation.Triage(script.Concern, planned.Confidence, script.Sentiment, script.Language, script.Urgency);
        switch (planned.Status)
        {
            case ConversationStatus.New:
                break;
            case ConversationStatus.Resolved or ConversationStatus.Closed:
                conversation.TryMoveTo(ConversationStatus.Resolved, planned.MovedAt);
                if (planned.Status == ConversationStatus.Closed)
                {
                    conversation.TryMoveTo(ConversationStatus.Closed, planned.ClosedAt);
                }
                if (planned.Satisfaction is { } score)
                {
                    conversation.RecordSatisfaction(score);
                }
                break;
            default:
                // An open case that only the customer has written to yet is opened by hand.
                conversation.TryMoveTo(planned.Status, planned.Status == ConversationStatus.Open ? planned.Times[^1] : planned.MovedAt);
                break;
        }
        return conversation;
    }

    private static Priority PriorityFor(DemoScript script, CustomerTier tier)
    {
        var valued = tier is CustomerTier.Gold or CustomerTier.Vip;
        if (script.Urgency == "high")
        {
            return valued ? Priority.Urgent : Priority.High;
        }
        if (script.Sentiment == "negative" && valued)
        {
            return Priority.High;
        }
        return script.Concern is "praise" or "style_feedback" or "other" ? Priority.Low : Priority.Normal;
    }

    private static int Satisfaction(string sentiment, double roll) => (sentiment, roll) switch
    {
        ("negative", < 0.15) => 1,
        ("negative", < 0.3) => 2,
        ("negative", < 0.5) => 3,
        (_, < 0.08) => 3,
        (_, < 0.35) => 4,
        _ => 5,
    };

    private static Dictionary<string, string> Placeholders(PlannedConversation planned)
    {
        var customer = planned.Customer;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = customer.FirstName,
            ["fullname"] = $"{customer.FirstName} {customer.LastName}",
            ["agent"] = planned.Agent.FirstName,
        };
        if (planned.Order is { } order)
        {
            values["order"] = order.Number;
            values["carrier"] = order.Carrier;
            values["tracking"] = order.Tracking;
            var line = order.Lines[0];
            var sizes = line.Product.Sizes;
            var other = line.Product.Colours.First(c => c != line.Colour);
            values["product"] = line.Product.Name;
            values["size"] = line.Size;
            values["size_up"] = sizes[Math.Min(line.SizeIndex + 1, sizes.Count - 1)];
            values["size_down"] = sizes[Math.Max(line.SizeIndex - 1, 0)];
            values["colour"] = line.Colour.English;
            values["colour2"] = other.English;
            values["farge"] = line.Colour.Norwegian;
            values["farge2"] = other.Norwegian;
        }
        return values;
    }

    private static string Render(string text, Dictionary<string, string> values)
    {
        var rendered = new StringBuilder(text);
        foreach (var (name, value) in values)
        {
            rendered.Replace("{" + name + "}", value);
        }
        return rendered.ToString();
    }

    private string UniqueHandle(string channel, IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (_handles.Add($"{channel}:{candidate}"))
            {
                return candidate;
            }
        }
        while (true)
        {
            var numbered = $"{candidates.First()}{_random.Next(2, 99)}";
            if (channel == "email")
            {
                var at = candidates.First().IndexOf('@', StringComparison.Ordinal);
                numbered = candidates.First().Insert(at, _random.Next(2, 99).ToString(CultureInfo.InvariantCulture));
            }
            if (_handles.Add($"{channel}:{numbered}"))
            {
                return numbered;
            }
        }
    }

    private List<string> EmailCandidates(string first, string last)
    {
        var (f, l) = (Ascii(first), Ascii(last));
        var domain = Pick(DemoCatalog.EmailDomains);
        var year = _random.Next(62, 100) % 100;
        string[] locals = _random.Next(4) switch
        {
            0 => [$"{f}.{l}", $"{f}{l}", $"{f}.{l}{year:D2}"],
            1 => [$"{f}{l}{year:D2}", $"{f}.{l}"],
            2 => [$"{f[0]}.{l}", $"{f}.{l}"],
            _ => [$"{f}_{l}", $"{f}{l[0]}{year:D2}"],
        };
        return [.. locals.Select(local => $"{local}@{domain}")];
    }

    private List<string> SocialCandidates(string first, string last)
    {
        var (f, l) = (Ascii(first), Ascii(last));
        string[] suffixes = ["", ".style", "_", ".no", "wears", ".oslo"];
        return _random.Next(3) switch
        {
            0 => [$"{f}.{l}", $"{f}{l}", $"{f}{l}_"],
            1 => [$"{f}{Pick(suffixes)}", $"{f}.{l}", $"{f}_{l}"],
            _ => [$"{f}{l[0]}", $"{f}.{l}{_random.Next(1, 99)}"],
        };
    }

    private List<string> XCandidates(string first, string last) => [.. SocialCandidates(first, last).Select(h => h.Replace('.', '_'))];

    private string FacebookId() => $"1000{_random.NextInt64(10_000_000_000, 99_999_999_999)}";

    private string PhoneNumber(string prefix) => prefix == "+47"
        ? $"+47 {(_random.Next(2) == 0 ? 4 : 9)}{_random.Next(10, 99)} {_random.Next(10, 99)} {_random.Next(100, 999)}"
        : $"{prefix} {_random.Next(100, 999)} {_random.Next(100, 999)} {_random.Next(1000, 9999)}";

    private string TrackingNumber(string carrier) => carrier switch
    {
        "Posten" or "Bring" => $"70730{_random.NextInt64(100_000_000_000, 999_999_999_999)}",
        "PostNord" => $"00370{_random.NextInt64(1_000_000_000_000, 9_999_999_999_999)}",
        _ => $"HH{_random.NextInt64(1_000_000_000, 9_999_999_999)}NO",
    };

    /// <summary>Letters an e-mail address can hold: Søren Ødegård writes as soren.odegard.</summary>
    private static string Ascii(string name)
    {
        var folded = name.ToLowerInvariant().Replace("æ", "ae").Replace("ø", "o").Replace("å", "a").Replace("ł", "l").Replace("ı", "i").Replace("ş", "s");
        var decomposed = folded.Normalize(NormalizationForm.FormD);
        return new string([.. decomposed.Where(c => c is >= 'a' and <= 'z')]);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private T Pick<T>(IReadOnlyList<T> items, Func<T, int> weight)
    {
        var roll = _random.Next(items.Sum(weight));
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }
        return items[^1];
    }

    private TimeSpan LogUniform(TimeSpan youngest, TimeSpan oldest) =>
        TimeSpan.FromMinutes(Math.Exp(Math.Log(youngest.TotalMinutes) + (_random.NextDouble() * (Math.Log(oldest.TotalMinutes) - Math.Log(youngest.TotalMinutes)))));

    private TimeSpan Minutes(double from, double to) => TimeSpan.FromMinutes(from + ((to - from) * _random.NextDouble()));

    private TimeSpan Hours(double from, double to) => TimeSpan.FromHours(from + ((to - from) * _random.NextDouble()));

    private TimeSpan Days(double from, double to) => TimeSpan.FromDays(from + ((to - from) * _random.NextDouble()));

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class PlannedCustomer(int index, string firstName, string lastName, bool norwegian)
    {
        public int Index { get; } = index;
        public string FirstName { get; } = firstName;
        public string LastName { get; } = lastName;
        public bool Norwegian { get; } = norwegian;
        public DateTimeOffset CreatedAt { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Instagram { get; set; }
        public string? Facebook { get; set; }
        public string? X { get; set; }
        public HashSet<Channel> Channels { get; } = [];
        public HashSet<Channel> ActiveOn { get; } = [];
    }

    private sealed record PlannedLine(DemoProduct Product, DemoColour Colour, int SizeIndex, int Quantity)
    {
        public string Size => Product.Sizes[SizeIndex];
        public string Sku => Product.Sku(Colour, Size);
    }

    private sealed class PlannedOrder(PlannedCustomer customer)
    {
        public PlannedCustomer Customer { get; } = customer;
        public int Index { get; set; }
        public string Number { get; set; } = "";
        public OrderStatus Status { get; set; }
        public DateTimeOffset PlacedAt { get; set; }
        public DateTimeOffset? ShippedAt { get; set; }
        public DateTimeOffset? DeliveredAt { get; set; }
        public string Carrier { get; set; } = "";
        public string Warehouse { get; set; } = "";
        public string Tracking { get; set; } = "";
        public List<PlannedLine> Lines { get; } = [];
    }

    private sealed class PlannedConversation(
        DemoScript script, Channel channel, ConversationStatus status, PlannedCustomer customer, DateTimeOffset startedAt, DemoAgent agent, IReadOnlyList<DemoMessage> thread)
    {
        public DemoScript Script { get; } = script;
        public Channel Channel { get; } = channel;
        public ConversationStatus Status { get; } = status;
        public PlannedCustomer Customer { get; } = customer;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public DemoAgent Agent { get; } = agent;
        public IReadOnlyList<DemoMessage> Thread { get; } = thread;
        public List<DateTimeOffset> Times { get; } = [];
        public List<string> ExternalIds { get; } = [];
        public DateTimeOffset MovedAt { get; set; }
        public DateTimeOffset ClosedAt { get; set; }
        public int? Satisfaction { get; set; }
        public double Confidence { get; init; }
        public PlannedOrder? Order { get; set; }
    }
}
