using System.Collections.Frozen;

namespace MemberCare.Features.Triage;

public enum Urgency
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>The labels triage speaks in: the concern types of TAXONOMY.md, sentiments, languages, urgencies.</summary>
public static class TriageLabels
{
    public const string Unknown = "unknown";
    public const string Negative = "negative";
    public const string Neutral = "neutral";
    public const string Positive = "positive";

    /// <summary>Each concern and the department that fixes its cause by default (TAXONOMY.md).</summary>
    public static FrozenDictionary<string, string> DepartmentByConcern { get; } = new Dictionary<string, string>
    {
        ["where_is_my_order"] = "logistics",
        ["wrong_or_missing_item"] = "warehouse",
        ["damaged_item"] = "warehouse",
        ["product_quality"] = "buying",
        ["sizing_fit"] = "product_design",
        ["not_as_described"] = "ecommerce_content",
        ["style_feedback"] = "product_design",
        ["return_refund"] = "returns",
        ["order_change"] = "member_care",
        ["payment_billing"] = "finance",
        ["website_app"] = "web_it",
        ["account"] = "member_care",
        ["product_question"] = "member_care",
        ["service_complaint"] = "member_care",
        ["praise"] = "member_care",
        ["other"] = "member_care",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<string> Concerns { get; } = [.. DepartmentByConcern.Keys.Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> Sentiments { get; } = [Negative, Neutral, Positive];

    /// <summary>The languages of issue #4; Bokmål and Nynorsk are both reported as 'no'.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["da", "de", "en", "es", "fr", "no", "pt", "sv", Unknown];

    public const string FallbackDepartment = "member_care";

    public static string DepartmentFor(string concern) =>
        DepartmentByConcern.TryGetValue(concern, out var department) ? department : FallbackDepartment;

    public static bool IsConcern(string? value) => value is not null && DepartmentByConcern.ContainsKey(value);

    public static bool IsSentiment(string? value) => value is Negative or Neutral or Positive;

    public static bool IsLanguage(string? value) => value is not null && Languages.Contains(value);

    /// <summary>Language models name Norwegian in several ways; the product reports one.</summary>
    public static string NormalizeLanguage(string label) => label.Trim().ToLowerInvariant() switch
    {
        "nb" or "nn" or "no" or "nob" or "nno" or "nor" or "norwegian" => "no",
        "" => Unknown,
        var other => other,
    };

    public static string ToKey(this Urgency urgency) => urgency switch
    {
        Urgency.Low => "low",
        Urgency.Normal => "normal",
        Urgency.High => "high",
        Urgency.Urgent => "urgent",
        _ => throw new ArgumentOutOfRangeException(nameof(urgency)),
    };
}
