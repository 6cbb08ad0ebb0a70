using MemberCare.Domain.Email;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Email;

/// <summary>
/// Which IMAP UIDs were taken in, kept in the database: a node claims a UID before fetching it (the unique index
/// lets only one node win), records the outcome after, and a claim left without one by a dead node expires.
/// </summary>
public sealed class ImapLedger(IDbContextFactory<MemberCareDb> dbFactory, IOptions<EmailOptions> options, TimeProvider time)
{
    /// <summary>The UIDs among <paramref name="uids"/> that nobody has taken in or is taking in now.</summary>
    public async Task<IReadOnlyList<long>> OpenAsync(string mailbox, long uidValidity, IReadOnlyCollection<long> uids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expired = time.GetUtcNow() - options.Value.Imap.ClaimTimeout;
        var taken = await db.ImapImports.AsNoTracking()
            .Where(i => i.Mailbox == mailbox && i.UidValidity == uidValidity && uids.Contains(i.Uid) && (i.DoneAt != null || i.ClaimedAt >= expired))
            .Select(i => i.Uid)
            .ToListAsync(ct);
        return [.. uids.Except(taken).Order()];
    }

    /// <summary>True when this node now owns the UID: a new claim, or one a dead node abandoned.</summary>
    public async Task<bool> ClaimAsync(string mailbox, long uidValidity, long uid, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var expired = now - options.Value.Imap.ClaimTimeout;
        var renewed = await db.ImapImports
            .Where(i => i.Mailbox == mailbox && i.UidValidity == uidValidity && i.Uid == uid && i.DoneAt == null && i.ClaimedAt < expired)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ClaimedAt, now), ct);
        if (renewed > 0)
        {
            return true;
        }
        try
        {
            db.ImapImports.Add(ImapImport.Claim(mailbox, uidValidity, uid, now));
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return false;
        }
    }

    public async Task CompleteAsync(string mailbox, long uidValidity, long uid, string outcome, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ImapImports.FirstAsync(i => i.Mailbox == mailbox && i.UidValidity == uidValidity && i.Uid == uid, ct);
        row.Done(outcome, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gives a claim back when the mail could not be stored, so the next poll tries again.</summary>
    public async Task ReleaseAsync(string mailbox, long uidValidity, long uid, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ImapImports.Where(i => i.Mailbox == mailbox && i.UidValidity == uidValidity && i.Uid == uid && i.DoneAt == null).ExecuteDeleteAsync(ct);
    }
}
