using System.Text;
using System.Text.RegularExpressions;

using MemberCare.Domain.Staff;

namespace MemberCare.Domain.Workspace;

/// <summary>A reply template; placeholders such as {{customer.first_name}} are filled from the conversation.</summary>
public sealed partial class Macro
{
    public const int MaxBody = 4000;

    private Macro()
    {
    }

    public Macro(string name, string language, string body)
    {
        Name = name.Trim();
        Language = StaffCultures.Normalize(language);
        Body = body;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Language { get; private set; } = StaffCultures.English;
    public string Body { get; private set; } = "";

    public static IReadOnlyList<string> Placeholders { get; } =
        ["customer.first_name", "customer.name", "order.number", "agent.first_name", "conversation.id"];

    /// <summary>Fills the placeholders it knows; an unknown or empty one becomes an empty string, never the braces.</summary>
    public static string Render(string body, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(values);
        return PlaceholderPattern().Replace(body, m =>
            values.TryGetValue(m.Groups[1].Value.ToLowerInvariant(), out var value) && value is not null ? value : "");
    }

    public string Render(IReadOnlyDictionary<string, string?> values) => Render(Body, values);

    public static IReadOnlyList<Macro> Defaults() =>
    [
        new("Wrong size: exchange", StaffCultures.English,
            "Hi {{customer.first_name}},\n\nI'm sorry the size was wrong in order {{order.number}}. We are sending the right size today, and you will get a free return label by e-mail.\n\nBest regards,\n{{agent.first_name}}"),
        new("Where is my parcel", StaffCultures.English,
            "Hi {{customer.first_name}},\n\nThank you for waiting. I have checked order {{order.number}} with the carrier and will follow it until it reaches you.\n\nBest regards,\n{{agent.first_name}}"),
        new("Refund confirmed", StaffCultures.English,
            "Hi {{customer.first_name}},\n\nYour refund for order {{order.number}} is on its way and should reach your account within 3-5 business days.\n\nBest regards,\n{{agent.first_name}}"),
        new("Feil størrelse: bytte", StaffCultures.NorwegianBokmal,
            "Hei {{customer.first_name}},\n\nBeklager at du fikk feil størrelse i ordre {{order.number}}. Vi sender riktig størrelse i dag, og du får en gratis returlapp på e-post.\n\nVennlig hilsen\n{{agent.first_name}}"),
        new("Hvor er pakken min", StaffCultures.NorwegianBokmal,
            "Hei {{customer.first_name}},\n\nTakk for tålmodigheten. Jeg har sjekket ordre {{order.number}} med transportøren og følger pakken til den er fremme hos deg.\n\nVennlig hilsen\n{{agent.first_name}}"),
        new("Refusjon bekreftet", StaffCultures.NorwegianBokmal,
            "Hei {{customer.first_name}},\n\nRefusjonen for ordre {{order.number}} er på vei og skal være på kontoen din innen 3–5 virkedager.\n\nVennlig hilsen\n{{agent.first_name}}"),
    ];

    public static string FirstName(string? fullName) =>
        fullName?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    [GeneratedRegex(@"\{\{\s*([a-zA-Z_.]+)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    public override string ToString() => new StringBuilder(Name).Append(" (").Append(Language).Append(')').ToString();
}
