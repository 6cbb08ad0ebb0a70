using System.Diagnostics.CodeAnalysis;

namespace MemberCare.Domain;

/// <summary>Where a customer wrote to us, and where the answer goes back.</summary>
public enum Channel
{
    Email,
    Chat,
    Instagram,
    Facebook,
    Messenger,
    X,
    Review,
    Sms,
    Phone,
    WebForm,
}

public static class ChannelNames
{
    private static readonly Dictionary<string, Channel> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = Channel.Email,
        ["chat"] = Channel.Chat,
        ["instagram"] = Channel.Instagram,
        ["facebook"] = Channel.Facebook,
        ["messenger"] = Channel.Messenger,
        ["x"] = Channel.X,
        ["twitter"] = Channel.X,
        ["review"] = Channel.Review,
        ["sms"] = Channel.Sms,
        ["phone"] = Channel.Phone,
        ["web_form"] = Channel.WebForm,
    };

    public static IReadOnlyList<string> Known { get; } =
        ["email", "chat", "instagram", "facebook", "messenger", "x", "review", "sms", "phone", "web_form"];

    public static bool TryParse(string? name, [NotNullWhen(true)] out Channel? channel)
    {
        channel = null;
        if (name is null || !s_byName.TryGetValue(name.Trim(), out var found))
        {
            return false;
        }
        channel = found;
        return true;
    }

    public static string ToKey(this Channel channel) => channel switch
    {
        Channel.WebForm => "web_form",
        _ => channel.ToString().ToLowerInvariant(),
    };
}
