using System.Text;
using System.Text.RegularExpressions;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;

namespace MemberCare.Features.Demo;

internal enum DemoOrderState
{
    None,
    Placed,
    Shipped,
    Delivered,
}

internal sealed record DemoMessage(MessageDirection Direction, string Text);

internal sealed record DemoProductRef(DemoProduct Product, DemoColour? Colour);

/// <summary>One hand-written conversation of the demo store: what the customer raised, and how the thread goes.</summary>
internal sealed record DemoScript(
    int Line,
    string Concern,
    string Language,
    string Sentiment,
    string Urgency,
    IReadOnlyList<Channel> Channels,
    DemoOrderState Order,
    IReadOnlyList<DemoProductRef> Products,
    string? Subject,
    IReadOnlyList<DemoMessage> Messages)
{
    /// <summary>
    /// The part of the thread a conversation in this status has seen so far, or null when the script cannot
    /// end in it: waiting on a department needs an internal note, waiting on the customer an agent's reply.
    /// </summary>
    public IReadOnlyList<DemoMessage>? ThreadFor(ConversationStatus status)
    {
        var firstAgent = IndexOf(MessageDirection.Outbound, 0);
        switch (status)
        {
            case ConversationStatus.New:
                return [.. Messages.TakeWhile(m => m.Direction == MessageDirection.Inbound)];
            case ConversationStatus.Open:
                if (firstAgent < 0)
                {
                    return Messages;
                }
                var answer = IndexOf(MessageDirection.Inbound, firstAgent);
                return Prefix(answer >= 0 ? answer : firstAgent);
            case ConversationStatus.WaitingOnCustomer:
                return firstAgent < 0 ? null : Prefix(firstAgent);
            case ConversationStatus.WaitingOnDepartment:
                var note = IndexOf(MessageDirection.Note, 0);
                return note < 0 ? null : Prefix(note);
            default:
                return Messages;
        }
    }

    private int IndexOf(MessageDirection direction, int from)
    {
        for (var i = from; i < Messages.Count; i++)
        {
            if (Messages[i].Direction == direction)
            {
                return i;
            }
        }
        return -1;
    }

    private DemoMessage[] Prefix(int last) => [.. Messages.Take(last + 1)];
}

/// <summary>Reads the demo conversations (DemoConversations.txt, embedded); its first lines describe the format.</summary>
internal static partial class DemoScripts
{
    public const string ResourceName = "MemberCare.Features.Demo.DemoConversations.txt";

    public static IReadOnlySet<string> Placeholders { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "fullname", "agent", "order", "product", "size", "size_up", "size_down",
        "colour", "colour2", "farge", "farge2", "carrier", "tracking",
    };

    private static readonly HashSet<string> s_productPlaceholders = ["product", "size", "size_up", "size_down", "colour", "colour2", "farge", "farge2"];
    private static readonly HashSet<string> s_shippingPlaceholders = ["carrier", "tracking"];
    private static readonly Lazy<IReadOnlyList<DemoScript>> s_all = new(Load);

    public static IReadOnlyList<DemoScript> All => s_all.Value;

    private static IReadOnlyList<DemoScript> Load()
    {
        using var stream = typeof(DemoScripts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    public static IReadOnlyList<DemoScript> Parse(string text)
    {
        var scripts = new List<DemoScript>();
        ScriptBuilder? current = null;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.StartsWith("===", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    scripts.Add(current.Build());
                }
                current = new ScriptBuilder(number, line[3..].Trim());
            }
            else if (current is not null)
            {
                current.Add(number, line);
            }
        }
        if (current is not null)
        {
            scripts.Add(current.Build());
        }
        return scripts;
    }

    [GeneratedRegex(@"^(customer|agent|note|channels|order|product|subject):\s?(.*)$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"\{([a-z_0-9]+)\}")]
    private static partial Regex Placeholder();

    private sealed class ScriptBuilder
    {
        private readonly int _line;
        private readonly string _concern;
        private readonly string _language;
        private readonly string _sentiment;
        private readonly string _urgency = "normal";
        private readonly List<Channel> _channels = [];
        private readonly List<DemoProductRef> _products = [];
        private readonly List<(MessageDirection Direction, StringBuilder Text)> _messages = [];
        private DemoOrderState _order;
        private string? _subject;

        public ScriptBuilder(int line, string header)
        {
            _line = line;
            var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 3 or > 4)
            {
                throw Problem(line, "a scenario starts with '=== <concern> <language> <sentiment> [urgency]'");
            }
            _concern = parts[0];
            _language = parts[1] is "en" or "no" ? parts[1] : throw Problem(line, $"unknown language '{parts[1]}'");
            _sentiment = parts[2] is "negative" or "neutral" or "positive" ? parts[2] : throw Problem(line, $"unknown sentiment '{parts[2]}'");
            if (parts.Length == 4)
            {
                _urgency = parts[3] is "low" or "normal" or "high" ? parts[3] : throw Problem(line, $"unknown urgency '{parts[3]}'");
            }
        }

        public void Add(int line, string text)
        {
            var tag = TagLine().Match(text);
            if (!tag.Success || (_messages.Count > 0 && tag.Groups[1].Value is not ("customer" or "agent" or "note")))
            {
                if (_messages.Count == 0)
                {
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        throw Problem(line, "expected a setting or the first message");
                    }
                    return;
                }
                _messages[^1].Text.Append('\n').Append(text);
                return;
            }
            var value = tag.Groups[2].Value.Trim();
            switch (tag.Groups[1].Value)
            {
                case "customer":
                    _messages.Add((MessageDirection.Inbound, new StringBuilder(value)));
                    break;
                case "agent":
                    _messages.Add((MessageDirection.Outbound, new StringBuilder(value)));
                    break;
                case "note":
                    _messages.Add((MessageDirection.Note, new StringBuilder(value)));
                    break;
                case "channels":
                    foreach (var name in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        _channels.Add(ChannelNames.TryParse(name, out var channel) ? channel.Value : throw Problem(line, $"unknown channel '{name}'"));
                    }
                    break;
                case "order":
                    _order = Enum.TryParse<DemoOrderState>(value, ignoreCase: true, out var state) ? state : throw Problem(line, $"unknown order state '{value}'");
                    break;
                case "product":
                    foreach (var reference in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        _products.Add(Product(line, reference));
                    }
                    break;
                default:
                    _subject = value;
                    break;
            }
        }

        public DemoScript Build()
        {
            if (_channels.Count == 0)
            {
                throw Problem(_line, "the scenario names no channels");
            }
            if (_messages.Count == 0 || _messages[0].Direction != MessageDirection.Inbound)
            {
                throw Problem(_line, "the scenario must start with a customer message");
            }
            if (_messages.Count > 6)
            {
                throw Problem(_line, "a thread holds at most 6 messages");
            }
            if (_products.Count > 0 && _order == DemoOrderState.None)
            {
                throw Problem(_line, "products belong to an order; say which state it is in");
            }
            var messages = _messages.Select(m => new DemoMessage(m.Direction, m.Text.ToString().Trim())).ToList();
            if (messages.Any(m => m.Text.Length == 0))
            {
                throw Problem(_line, "a message is empty");
            }
            foreach (var text in messages.Select(m => m.Text).Append(_subject ?? ""))
            {
                foreach (Match match in Placeholder().Matches(text))
                {
                    var name = match.Groups[1].Value;
                    if (!Placeholders.Contains(name))
                    {
                        throw Problem(_line, $"unknown placeholder {{{name}}}");
                    }
                    if (s_productPlaceholders.Contains(name) && _products.Count == 0)
                    {
                        throw Problem(_line, $"{{{name}}} needs a product");
                    }
                    if (name == "order" && _order == DemoOrderState.None)
                    {
                        throw Problem(_line, "{order} needs an order");
                    }
                    if (s_shippingPlaceholders.Contains(name) && _order is not (DemoOrderState.Shipped or DemoOrderState.Delivered))
                    {
                        throw Problem(_line, $"{{{name}}} needs a shipped or delivered order");
                    }
                }
            }
            return new DemoScript(_line, _concern, _language, _sentiment, _urgency, _channels, _order, _products, _subject, messages);
        }

        private static DemoProductRef Product(int line, string reference)
        {
            var product = DemoCatalog.Products
                .Where(p => reference == p.Family || reference.StartsWith(p.Family + "-", StringComparison.Ordinal))
                .MaxBy(p => p.Family.Length)
                ?? throw Problem(line, $"unknown product '{reference}'");
            if (reference.Length == product.Family.Length)
            {
                return new DemoProductRef(product, null);
            }
            var code = reference[(product.Family.Length + 1)..];
            var colour = product.Colours.FirstOrDefault(c => c.Code == code) ?? throw Problem(line, $"{product.Family} does not come in '{code}'");
            return new DemoProductRef(product, colour);
        }

        private static InvalidDataException Problem(int line, string reason) =>
            new($"{ResourceName}, line {line}: {reason}.");
    }
}
