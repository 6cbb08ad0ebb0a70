using System.Text.RegularExpressions;

namespace MemberCare.Components.Common;

/// <summary>A run of message text, with the link it stands for when it is a safe web address.</summary>
public sealed record TextPart(string Text, string? Href);

/// <summary>
/// Finds web addresses in untrusted text. Only absolute http and https URLs become links; anything else
/// (javascript:, data:, relative paths) stays plain text.
/// </summary>
public static partial class LinkText
{
    public static IReadOnlyList<TextPart> Split(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }
        var parts = new List<TextPart>();
        var at = 0;
        foreach (Match match in UrlPattern().Matches(text))
        {
            var candidate = match.Value.TrimEnd('.', ',', ')', '!', '?', ';', ':', '\'', '"');
            if (SafeHref(candidate) is not { } href)
            {
                continue;
            }
            if (match.Index > at)
            {
                parts.Add(new TextPart(text[at..match.Index], null));
            }
            parts.Add(new TextPart(candidate, href));
            at = match.Index + candidate.Length;
        }
        if (at < text.Length)
        {
            parts.Add(new TextPart(text[at..], null));
        }
        return parts;
    }

    public static string? SafeHref(string candidate) =>
        Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
            ? uri.AbsoluteUri
            : null;

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
