namespace MemberCare.Features.Departments;

/// <summary>The reply care may send once every department has answered, in the customer's language.</summary>
public static class SuggestedReply
{
    public static string Compose(string? language, string? customerName, IEnumerable<string> answers, string? agentName)
    {
        var first = customerName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var body = string.Join("\n\n", answers.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()));
        var norwegian = language is "no" or "nb" or "nn";
        var greeting = norwegian ? (first is null ? "Hei," : $"Hei {first},") : (first is null ? "Hi," : $"Hi {first},");
        var thanks = norwegian
            ? "Takk for at du ventet mens vi sjekket dette med kollegaene våre."
            : "Thank you for waiting while we checked this with our colleagues.";
        var closing = norwegian ? "Vennlig hilsen" : "Best regards";
        var signature = string.IsNullOrWhiteSpace(agentName) ? closing : $"{closing}\n{agentName}";
        return $"{greeting}\n\n{thanks}\n\n{body}\n\n{signature}";
    }
}
