using System.Net;
using System.Text.RegularExpressions;

namespace MemberCare.Channels.Email;

/// <summary>
/// What of a mail's text is the customer's own words: quoted history ("On … wrote:", "> " lines, an Outlook
/// "Original Message" block) and the signature are cut for triage; the full text stays for display.
/// </summary>
public static partial class MailText
{
    /// <summary>The subject a thread is known by: without Re:, Sv:, Fwd:, AW:, VS: and the like, in lower case.</summary>
    public static string? ThreadSubject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }
        var text = subject.Trim();
        string before;
        do
        {
            before = text;
            text = ReplyPrefix().Replace(text, "").Trim();
        }
        while (text != before);
        text = Whitespace().Replace(text, " ").ToLowerInvariant();
        return text.Length == 0 ? null : text.Length > 200 ? text[..200] : text;
    }

    public static string ForTriage(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var kept = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed is "--" or "-- " || line == "-- " || QuoteHeader().IsMatch(trimmed) || OriginalMessage().IsMatch(trimmed) || SentFrom().IsMatch(trimmed))
            {
                break;
            }
            if (trimmed.StartsWith('>'))
            {
                continue;
            }
            kept.Add(trimmed);
        }
        var result = string.Join('\n', kept).Trim();
        return result.Length == 0 ? text.Trim() : result;
    }

    /// <summary>Text from an HTML-only mail: tags, scripts and styles out, entities decoded, blocks on their own lines.</summary>
    public static string FromHtml(string html)
    {
        var text = ScriptOrStyle().Replace(html, " ");
        text = BlockEnd().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = Spaces().Replace(text, " ");
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"^\s*((re|sv|aw|fw|fwd|vs|vb|tr|ref|antw|wg)(\[\d+\])?\s*:|\[[^\]]{1,40}\])\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(On|Den|Le|Am|El|Op|Il)\s.{4,300}(wrote|skrev|a écrit|schrieb|escribió|schreef|ha scritto)(\s.{0,200})?:\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuoteHeader();

    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Opprinnelig melding|Ursprüngliche Nachricht|Forwarded message|Videresendt melding)\s*-{2,}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^(Sent from my|Sendt fra min|Skickat från min|Von meinem)\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SentFrom();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\u00a0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n\s*\n(\s*\n)+")]
    private static partial Regex BlankLines();
}
