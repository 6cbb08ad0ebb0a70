using System.Globalization;
using System.Text;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;

namespace MemberCare.Features.Inbox;

public enum InboxSort
{
    Due,
    Priority,
    Newest,
}

/// <summary>
/// One inbox view as it appears in the query string, so that every view is a link. Unknown values are ignored
/// rather than refused: a stale bookmark still opens an inbox.
/// </summary>
public sealed record InboxFilter(
    string? Status = null,
    string? Channel = null,
    string? Concern = null,
    string? Priority = null,
    string? Language = null,
    string? Assigned = null,
    string? Sla = null,
    string? Sort = null,
    string? After = null)
{
    public const string Active = "active";
    public const string All = "all";
    public const string Me = "me";
    public const string Unassigned = "unassigned";
    public const string Team = "team";
    public const string Soon = "soon";

    public InboxSort SortOrder => Sort?.ToLowerInvariant() switch
    {
        "priority" => InboxSort.Priority,
        "newest" => InboxSort.Newest,
        _ => InboxSort.Due,
    };

    public ConversationStatus? StatusValue => ConversationStatuses.TryParse(Status, out var s) ? s : null;

    /// <summary>No status, or "active": everything not yet resolved or closed.</summary>
    public bool ActiveOnly => StatusValue is null && !string.Equals(Status, All, StringComparison.OrdinalIgnoreCase);

    public Channel? ChannelValue => ChannelNames.TryParse(Channel, out var c) ? c : null;

    public Priority? PriorityValue =>
        Enum.TryParse<Priority>(Priority, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(Priority, out _) ? p : null;

    public bool BreachingSoon => string.Equals(Sla, Soon, StringComparison.OrdinalIgnoreCase);

    /// <summary>The same view from its first page.</summary>
    public InboxFilter FirstPage => this with { After = null };

    /// <summary>The query string of this view (without the leading '?'), with only the parameters that are set.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("status", Status);
        Add("channel", Channel);
        Add("concern", Concern);
        Add("priority", Priority);
        Add("language", Language);
        Add("assigned", Assigned);
        Add("sla", Sla);
        Add("sort", Sort);
        Add("after", After);
        return string.Join('&', parts);
    }

    public static InboxFilter FromQuery(string? query)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        string? Get(string name) => values.TryGetValue(name, out var v) ? v.ToString() : null;
        return new InboxFilter(Get("status"), Get("channel"), Get("concern"), Get("priority"), Get("language"),
            Get("assigned"), Get("sla"), Get("sort"), Get("after"));
    }
}

/// <summary>Keyset cursors for the three sorts: the last row's sort key and id, so every page costs what the first does.</summary>
internal static class InboxCursor
{
    public static string Encode(InboxSort sort, long key1, long key2, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{(int)sort}:{key1}:{key2}:{id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, InboxSort sort, out long key1, out long key2, out long id)
    {
        key1 = key2 = id = 0;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200)
        {
            return false;
        }
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            return parts.Length == 4
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s == (int)sort
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out key1)
                && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out key2)
                && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
