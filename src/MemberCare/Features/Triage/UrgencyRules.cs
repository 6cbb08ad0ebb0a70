using System.Text.RegularExpressions;
using MemberCare.Domain;
using MemberCare.Domain.Customers;

namespace MemberCare.Features.Triage;

/// <summary>What triage knows about the sender besides the text.</summary>
public sealed record TriageContext(CustomerTier Tier = CustomerTier.Standard, int RecentContacts = 0, Channel? Channel = null)
{
    public static TriageContext None { get; } = new();
}

/// <summary>
/// Urgency from what the customer says and who they are. The concern and sentiment set a starting level;
/// time pressure, a gold or VIP customer and a customer who keeps writing each raise it.
/// </summary>
public static partial class UrgencyRules
{
    /// <summary>Earlier contacts within the window that make a customer one who is chasing us.</summary>
    public const int RepeatedContacts = 2;

    private static readonly HashSet<string> s_timeSensitive =
    [
        "where_is_my_order", "wrong_or_missing_item", "damaged_item", "order_change", "payment_billing",
        "website_app", "service_complaint", "return_refund", "account",
    ];

    private static readonly HashSet<string> s_noActionNeeded = ["praise", "style_feedback"];

    public static Urgency Assess(string text, string concern, string sentiment, TriageContext context)
    {
        var level = sentiment == TriageLabels.Negative && s_timeSensitive.Contains(concern) ? Urgency.High
            : sentiment != TriageLabels.Negative && s_noActionNeeded.Contains(concern) ? Urgency.Low
            : Urgency.Normal;
        // A product review waits for no answer: "wore it today" there is no deadline.
        if (context.Channel != Channel.Review)
        {
            level += TimePressure(text);
        }
        if (context.Tier is CustomerTier.Gold or CustomerTier.Vip)
        {
            level++;
        }
        if (context.RecentContacts >= RepeatedContacts)
        {
            level++;
        }
        return level > Urgency.Urgent ? Urgency.Urgent : level;
    }

    /// <summary>2 for an explicit "urgent" or "haster", 1 for a deadline ("before the wedding on Saturday", "i morgen"), else 0.</summary>
    public static int TimePressure(string text) =>
        UrgentWords().IsMatch(text) ? 2 : DeadlineWords().IsMatch(text) ? 1 : 0;

    [GeneratedRegex(@"\b(?:asap|a\.s\.a\.p|urgent|urgently|emergency|immediately|right away|right now|as soon as possible|haster|hastesak|snarest|straks|omgående|umiddelbart|med en gang|akutt)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrgentWords();

    [GeneratedRegex(@"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|weekend)|(?:by|before|until|till) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|tomorrow|tonight|next week)|before (?:the|my|our|a|her|his) (?:wedding|party|trip|holiday|holidays|vacation|flight|birthday|event|funeral|christening|graduation|prom|weekend|christmas|concert|interview)|in time for|need(?:ed)? (?:it|them|this) (?:by|for|before)|deadline|i dag|i kveld|i morgen|i morgon|i helgen|til helgen|før helgen|innen (?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|laurdag|sundag|helgen|i morgen)|til (?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|laurdag|sundag)|før (?:bryllupet|festen|ferien|turen|bursdagen|konfirmasjonen|jul|julaften|helgen|avreise|flyet|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)|til (?:bryllupet|festen|ferien|konfirmasjonen|jul)|fristen)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeadlineWords();
}
