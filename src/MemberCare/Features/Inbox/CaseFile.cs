using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Features.Conversations;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Inbox;

public sealed record PreviousConversation(long Id, string Channel, string Status, string? Subject, string? Preview, DateTimeOffset LastMessageAt);

/// <summary>Everything the conversation view shows: the case and its thread, the customer, and who owns it.</summary>
public sealed record CaseView(
    ConversationDetail Detail,
    string? AssigneeName,
    DateTimeOffset? SlaDueAt,
    IReadOnlyList<PreviousConversation> Previous,
    IReadOnlyDictionary<long, List<FileView>> Files);

/// <summary>Reads a case for the conversation view, through the same desk the API uses.</summary>
public sealed class CaseFile(IDbContextFactory<MemberCareDb> dbFactory, ConversationDesk desk)
{
    public async Task<CaseView?> OpenAsync(long id, CancellationToken ct)
    {
        if (await desk.GetAsync(id, ct) is not { } detail)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var extra = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new
            {
                c.SlaDueAt,
                AssigneeName = db.Users.Where(u => u.Id == c.AssigneeId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstAsync(ct);
        var previous = await db.Conversations.AsNoTracking()
            .Where(c => c.CustomerId == detail.Customer.Id && c.Id != id)
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(10)
            .Select(c => new { c.Id, c.Channel, c.Status, c.Subject, c.LastMessagePreview, c.LastMessageAt })
            .ToListAsync(ct);
        var files = await ConversationFiles.ListAsync(db, id, ct);
        return new CaseView(detail, extra.AssigneeName, extra.SlaDueAt,
            [.. previous.Select(p => new PreviousConversation(p.Id, Domain.ChannelNames.ToKey(p.Channel), p.Status.ToKey(), p.Subject, p.LastMessagePreview, p.LastMessageAt))],
            files.GroupBy(f => f.MessageId).ToDictionary(g => g.Key, g => g.ToList()));
    }
}
