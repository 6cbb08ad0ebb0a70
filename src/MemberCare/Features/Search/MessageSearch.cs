using System.Text.RegularExpressions;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Search;

/// <summary>A piece of a snippet: either plain text or the part that matched. Rendered as text, never as HTML.</summary>
public sealed record HighlightSegment(string Text, bool Hit);

public sealed record SearchHit(
    long MessageId,
    long ConversationId,
    string CustomerName,
    Channel Channel,
    MessageDirection Direction,
    DateTimeOffset SentAt,
    IReadOnlyList<HighlightSegment> Snippet);

/// <summary>
/// Full-text search over every message, newest first, with the matching words marked. Two implementations,
/// because the two databases index text differently: SQLite's FTS5 and PostgreSQL's tsvector.
/// </summary>
public interface IMessageSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(string text, int limit, CancellationToken ct);
}

/// <summary>One word to find; a prefix when the agent typed a '*' after it ("størr*").</summary>
public sealed record SearchTerm(string Word, bool Prefix);

/// <summary>What both implementations share: turning what an agent typed into terms, and snippets into segments.</summary>
public static partial class SearchTerms
{
    public const char HitStart = '\u0002';
    public const char HitEnd = '\u0003';
    public const int MaxTerms = 8;

    /// <summary>
    /// Words of letters and digits only, so nothing the agent types is read as query syntax. Whole words by default:
    /// a prefix over a common word makes both engines gather every matching row (tens of milliseconds on a million
    /// messages), where a whole word streams the newest matches (well under one).
    /// </summary>
    public static IReadOnlyList<SearchTerm> Parse(string? text) =>
        text is null
            ? []
            : [.. WordPattern().Matches(text)
                .Select(m => new SearchTerm(m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Success))
                .DistinctBy(t => t.Word)
                .Take(MaxTerms)];

    public static IReadOnlyList<HighlightSegment> Segments(string snippet)
    {
        var segments = new List<HighlightSegment>();
        var hit = false;
        var start = 0;
        for (var i = 0; i <= snippet.Length; i++)
        {
            if (i < snippet.Length && snippet[i] != HitStart && snippet[i] != HitEnd)
            {
                continue;
            }
            if (i > start)
            {
                segments.Add(new HighlightSegment(snippet[start..i], hit));
            }
            if (i < snippet.Length)
            {
                hit = snippet[i] == HitStart;
            }
            start = i + 1;
        }
        return segments;
    }

    internal static async Task<IReadOnlyList<SearchHit>> DescribeAsync(MemberCareDb db, IReadOnlyList<SnippetRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.MessageId).ToList();
        var details = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.Id))
            .Select(m => new
            {
                m.Id,
                m.ConversationId,
                CustomerName = db.Conversations.Where(c => c.Id == m.ConversationId).Select(c => c.Customer!.Name).First(),
                m.Channel,
                m.Direction,
                m.SentAt,
            })
            .ToDictionaryAsync(m => m.Id, ct);
        return [.. rows.Where(r => details.ContainsKey(r.MessageId)).Select(r =>
        {
            var d = details[r.MessageId];
            return new SearchHit(d.Id, d.ConversationId, d.CustomerName, d.Channel, d.Direction, d.SentAt, Segments(r.Snippet ?? ""));
        })];
    }

    [GeneratedRegex(@"([\p{L}\p{N}]+)(\*)?")]
    private static partial Regex WordPattern();
}

internal sealed record SnippetRow(long MessageId, string? Snippet);

/// <summary>SQLite: an FTS5 index kept by triggers (see the Workspace migration).</summary>
public sealed class SqliteMessageSearch(IDbContextFactory<MemberCareDb> dbFactory) : IMessageSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string text, int limit, CancellationToken ct)
    {
        var terms = SearchTerms.Parse(text);
        if (terms.Count == 0)
        {
            return [];
        }
        var match = string.Join(' ', terms.Select(t => t.Prefix ? $"\"{t.Word}\"*" : $"\"{t.Word}\""));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Database.SqlQuery<SnippetRow>($"""
            SELECT s.rowid AS "MessageId", snippet("MessageSearch", 0, char(2), char(3), '…', 24) AS "Snippet"
            FROM "MessageSearch" s
            WHERE "MessageSearch" MATCH {match}
            ORDER BY s.rowid DESC
            LIMIT {limit}
            """).ToListAsync(ct);
        return await SearchTerms.DescribeAsync(db, rows, ct);
    }
}

/// <summary>
/// PostgreSQL: a generated tsvector with a GIN index (see the Workspace migration). "Newest matches first" has two
/// good plans, and the planner cannot tell them apart (it guesses 0.5 % for any word it has no statistics on): walk the
/// newest messages backwards until enough match, which is instant for common words and a full scan for rare ones, or
/// collect every match from the GIN index, which is instant for rare words and slow for common ones. So the search
/// first looks among the newest messages only, and asks the index for everything only when that window is not enough.
/// </summary>
public sealed class PostgresMessageSearch(IDbContextFactory<MemberCareDb> dbFactory) : IMessageSearch
{
    public const int RecentWindow = 20_000;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string text, int limit, CancellationToken ct)
    {
        var terms = SearchTerms.Parse(text);
        if (terms.Count == 0)
        {
            return [];
        }
        var query = string.Join(" & ", terms.Select(t => t.Prefix ? t.Word + ":*" : t.Word));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Database.SqlQuery<long>($"""
            SELECT recent."Id" AS "Value"
            FROM (SELECT "Id", "SearchVector" FROM "Messages" ORDER BY "Id" DESC LIMIT {RecentWindow}) recent
            WHERE recent."SearchVector" @@ to_tsquery('simple', {query})
            ORDER BY recent."Id" DESC
            LIMIT {limit}
            """).ToListAsync(ct);
        if (ids.Count < limit)
        {
            // "+ 0" keeps the planner off the primary key's order, so it takes the GIN index.
            ids = await db.Database.SqlQuery<long>($"""
                SELECT m."Id" AS "Value"
                FROM "Messages" m
                WHERE m."SearchVector" @@ to_tsquery('simple', {query})
                ORDER BY m."Id" + 0 DESC
                LIMIT {limit}
                """).ToListAsync(ct);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        var found = ids.ToArray();
        var rows = await db.Database.SqlQuery<SnippetRow>($"""
            SELECT m."Id" AS "MessageId",
                   ts_headline('simple', m."Text", to_tsquery('simple', {query}),
                       'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12') AS "Snippet"
            FROM "Messages" m
            WHERE m."Id" = ANY({found})
            """).ToListAsync(ct);
        return await SearchTerms.DescribeAsync(db, [.. rows.OrderByDescending(r => r.MessageId)], ct);
    }
}

public static class SearchRegistration
{
    public static IServiceCollection AddMessageSearch(this IServiceCollection services)
    {
        services.AddSingleton<SqliteMessageSearch>();
        services.AddSingleton<PostgresMessageSearch>();
        services.AddSingleton<IMessageSearch>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresMessageSearch>()
                : sp.GetRequiredService<SqliteMessageSearch>());
        return services;
    }
}
