using System.Globalization;
using System.Text.Json;
using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Features.Triage;
using MemberCare.Hosting;

namespace MemberCare.Features.Routing;

/// <summary>One condition: a field of the triaged message, an operator, and the values it compares with.</summary>
public sealed record RuleCondition(string Field, string Op, IReadOnlyList<string> Values);

/// <summary>One action: hand off to a department, set priority, tag, assign a team, or send an auto-reply template.</summary>
public sealed record RuleAction(string Type, string Value);

/// <summary>A rule as the API and the editor show it.</summary>
public sealed record RuleView(long Id, string Name, int Position, bool Enabled, bool Stop, IReadOnlyList<RuleCondition> Conditions, IReadOnlyList<RuleAction> Actions, DateTimeOffset UpdatedAt);

/// <summary>A rule as the API and the editor send it.</summary>
public sealed record RuleRequest(string? Name, int? Position, bool? Enabled, bool? Stop, IReadOnlyList<RuleCondition>? Conditions, IReadOnlyList<RuleAction>? Actions);

/// <summary>What rules look at: a triaged message, its conversation, its customer and the order it names.</summary>
public sealed record RoutingFacts(
    string? Concern,
    double? Confidence,
    string Channel,
    string? Language,
    string? Sentiment,
    string? Urgency,
    string Tier,
    string Text,
    IReadOnlyList<string> Skus,
    IReadOnlyList<string> Suppliers,
    IReadOnlyList<string> Products);

public static class RuleFields
{
    public const string Concern = "concern";
    public const string Confidence = "confidence";
    public const string Channel = "channel";
    public const string Language = "language";
    public const string Sentiment = "sentiment";
    public const string Urgency = "urgency";
    public const string Tier = "tier";
    public const string Keywords = "keywords";
    public const string Sku = "sku";
    public const string Supplier = "supplier";
    public const string Brand = "brand";

    public static IReadOnlyList<string> All { get; } = [Concern, Confidence, Channel, Language, Sentiment, Urgency, Tier, Keywords, Sku, Supplier, Brand];

    /// <summary>The fields that need the order's lines; the router reads them only when a rule asks.</summary>
    public static bool NeedsOrder(string field) => field is Sku or Supplier or Brand;

    public static IReadOnlyList<string> OperatorsOf(string field) => field switch
    {
        Confidence => ["at_least", "below"],
        Keywords => ["contains_any", "contains_none"],
        _ => ["is", "is_not"],
    };
}

public static class RuleActionTypes
{
    public const string Handoff = "handoff";
    public const string Priority = "priority";
    public const string Tag = "tag";
    public const string Team = "team";
    public const string AutoReply = "auto_reply";

    public static IReadOnlyList<string> All { get; } = [Handoff, Priority, Tag, Team, AutoReply];
}

/// <summary>Reads, checks and compiles rules. A rule that fails its check is never stored; one that is stored compiles.</summary>
public static class RuleCompiler
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private static readonly string[] s_priorities = ["low", "normal", "high", "urgent"];
    private static readonly string[] s_urgencies = ["low", "normal", "high", "urgent"];

    public static IReadOnlyList<RuleCondition> ReadConditions(string json) =>
        JsonSerializer.Deserialize<List<RuleCondition>>(json, Json) ?? [];

    public static IReadOnlyList<RuleAction> ReadActions(string json) =>
        JsonSerializer.Deserialize<List<RuleAction>>(json, Json) ?? [];

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>Checks a rule against the departments and templates that exist; errors name the field, such as conditions[1].values.</summary>
    public static FieldErrors Check(RuleRequest rule, IReadOnlyCollection<string> departments, IReadOnlyCollection<string> macros)
    {
        var errors = new FieldErrors();
        errors.RequireText("name", rule.Name, 100);
        var conditions = rule.Conditions ?? [];
        var actions = rule.Actions ?? [];
        if (conditions.Count > 20)
        {
            errors.Add("conditions", "holds at most 20 conditions.");
        }
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var at = $"conditions[{i}]";
            if (c is null || !RuleFields.All.Contains(c.Field))
            {
                errors.Add(at + ".field", $"must be one of {string.Join(", ", RuleFields.All)}.");
                continue;
            }
            if (!RuleFields.OperatorsOf(c.Field).Contains(c.Op))
            {
                errors.Add(at + ".op", $"must be one of {string.Join(", ", RuleFields.OperatorsOf(c.Field))} for {c.Field}.");
            }
            var values = c.Values ?? [];
            if (values.Count == 0 || values.Count > 100 || values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 100))
            {
                errors.Add(at + ".values", "must hold 1 to 100 values of 1 to 100 characters.");
                continue;
            }
            var unknown = c.Field switch
            {
                RuleFields.Concern => values.Where(v => !TriageLabels.IsConcern(v)),
                RuleFields.Channel => values.Where(v => !ChannelNames.TryParse(v, out _)),
                RuleFields.Sentiment => values.Where(v => !TriageLabels.IsSentiment(v)),
                RuleFields.Language => values.Where(v => !TriageLabels.IsLanguage(v)),
                RuleFields.Urgency => values.Where(v => !s_urgencies.Contains(v)),
                RuleFields.Tier => values.Where(v => !Enum.TryParse<CustomerTier>(v, ignoreCase: true, out _)),
                RuleFields.Confidence => values.Count != 1 || !TryConfidence(values[0], out _) ? values : [],
                _ => [],
            };
            if (unknown.FirstOrDefault() is { } bad)
            {
                errors.Add(at + ".values", c.Field == RuleFields.Confidence
                    ? "must be one number between 0 and 1."
                    : $"'{bad}' is not a {c.Field} MemberCare knows.");
            }
        }
        if (actions.Count is 0 or > 10)
        {
            errors.Add("actions", "must hold 1 to 10 actions.");
        }
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            var at = $"actions[{i}]";
            if (a is null || !RuleActionTypes.All.Contains(a.Type))
            {
                errors.Add(at + ".type", $"must be one of {string.Join(", ", RuleActionTypes.All)}.");
                continue;
            }
            var value = a.Value?.Trim() ?? "";
            var problem = a.Type switch
            {
                RuleActionTypes.Handoff when !departments.Contains(value) => $"'{value}' is not a department; known: {string.Join(", ", departments)}.",
                RuleActionTypes.Priority when !s_priorities.Contains(value) => $"must be one of {string.Join(", ", s_priorities)}.",
                RuleActionTypes.AutoReply when !macros.Contains(value) => $"'{value}' is not a reply template's name.",
                RuleActionTypes.Tag or RuleActionTypes.Team when value.Length is 0 or > 60 => "must be 1 to 60 characters.",
                _ => null,
            };
            if (problem is not null)
            {
                errors.Add(at + ".value", problem);
            }
        }
        return errors;
    }

    /// <summary>A predicate over facts; all conditions must hold, and a rule without conditions matches everything.</summary>
    public static Func<RoutingFacts, bool> Compile(IReadOnlyList<RuleCondition> conditions)
    {
        var tests = conditions.Select(CompileOne).ToArray();
        return facts => Array.TrueForAll(tests, t => t(facts));
    }

    private static Func<RoutingFacts, bool> CompileOne(RuleCondition condition)
    {
        var values = condition.Values.Select(v => v.Trim()).ToArray();
        var set = new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
        var negate = condition.Op is "is_not" or "contains_none";
        Func<RoutingFacts, bool> test = condition.Field switch
        {
            RuleFields.Concern => f => f.Concern is { } v && set.Contains(v),
            RuleFields.Channel => f => set.Contains(f.Channel),
            RuleFields.Language => f => f.Language is { } v && set.Contains(v),
            RuleFields.Sentiment => f => f.Sentiment is { } v && set.Contains(v),
            RuleFields.Urgency => f => f.Urgency is { } v && set.Contains(v),
            RuleFields.Tier => f => set.Contains(f.Tier),
            RuleFields.Confidence => Threshold(condition.Op, values[0]),
            RuleFields.Keywords => f => values.Any(k => f.Text.Contains(k, StringComparison.OrdinalIgnoreCase)),
            RuleFields.Sku => f => f.Skus.Any(s => values.Any(v => Like(s, v))),
            RuleFields.Supplier => f => f.Suppliers.Any(s => set.Contains(s)),
            RuleFields.Brand => f => f.Products.Any(p => values.Any(b => p.Contains(b, StringComparison.OrdinalIgnoreCase))),
            _ => _ => false,
        };
        return negate ? f => !test(f) : test;
    }

    private static Func<RoutingFacts, bool> Threshold(string op, string value)
    {
        TryConfidence(value, out var limit);
        return op == "below"
            ? f => f.Confidence is { } c && c < limit
            : f => f.Confidence is { } c && c >= limit;
    }

    /// <summary>A SKU value ending in * matches a family by prefix; anything else matches exactly.</summary>
    private static bool Like(string sku, string pattern) => pattern.EndsWith('*')
        ? sku.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : string.Equals(sku, pattern, StringComparison.OrdinalIgnoreCase);

    private static bool TryConfidence(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1;
}
