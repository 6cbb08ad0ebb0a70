using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Email;

/// <summary>
/// One IMAP message taken in, by mailbox, UIDVALIDITY and UID. The row is claimed before the mail is fetched,
/// so a second node polling the same mailbox skips it, and a restart does not import it again.
/// </summary>
public sealed class ImapImport
{
    private ImapImport()
    {
    }

    public long Id { get; private set; }

    /// <summary>"user@host/INBOX": the account and folder polled.</summary>
    public string Mailbox { get; private set; } = "";
    public long UidValidity { get; private set; }
    public long Uid { get; private set; }
    public DateTimeOffset ClaimedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public string? Outcome { get; private set; }

    public static ImapImport Claim(string mailbox, long uidValidity, long uid, DateTimeOffset at) => new()
    {
        Mailbox = mailbox.Length > 300 ? mailbox[..300] : mailbox,
        UidValidity = uidValidity,
        Uid = uid,
        ClaimedAt = at.ToUniversalTime(),
    };

    public void Done(string outcome, DateTimeOffset at)
    {
        Outcome = outcome.Length > 500 ? outcome[..500] : outcome;
        DoneAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<ImapImport>
    {
        public void Configure(EntityTypeBuilder<ImapImport> import)
        {
            import.Property(i => i.Mailbox).HasMaxLength(300);
            import.Property(i => i.Outcome).HasMaxLength(500);
            import.HasIndex(i => new { i.Mailbox, i.UidValidity, i.Uid }).IsUnique();
        }
    }
}
