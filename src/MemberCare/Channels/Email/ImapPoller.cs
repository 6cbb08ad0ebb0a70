using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MemberCare.Features.Intake;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Email;

/// <summary>
/// Polls the care mailbox over IMAP when Email:Imap:Enabled is set: unseen mail is claimed by UID in the database,
/// taken in through <see cref="MailIntake"/>, then flagged \Seen or moved. Off by default.
/// </summary>
public sealed class ImapPoller(
    IOptions<EmailOptions> options,
    ChannelSecrets secrets,
    ImapLedger ledger,
    MailIntake intake,
    TimeProvider time,
    ILogger<ImapPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var imap = options.Value.Imap;
        if (!imap.Enabled || string.IsNullOrWhiteSpace(imap.Host))
        {
            return;
        }
        using var timer = new PeriodicTimer(imap.Interval, time);
        do
        {
            try
            {
                var taken = await PollOnceAsync(stoppingToken);
                if (taken > 0)
                {
                    logger.LogInformation("Took in {Count} mails from {Host}/{Folder}", taken, imap.Host, imap.Folder);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Polling {Host}/{Folder} failed; the next poll tries again", imap.Host, imap.Folder);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One poll: connects, takes in what is unseen and not claimed, and disconnects. Returns the mails handled.</summary>
    public async Task<int> PollOnceAsync(CancellationToken ct)
    {
        var imap = options.Value.Imap;
        var password = await secrets.GetAsync(ChannelSecrets.ImapPassword, ct) ?? imap.Password;
        using var client = new ImapClient();
        var security = Enum.TryParse<SecureSocketOptions>(imap.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.SslOnConnect;
        await client.ConnectAsync(imap.Host ?? throw new InvalidOperationException("Email:Imap:Host is not set."), imap.Port, security, ct);
        await client.AuthenticateAsync(imap.User ?? "", password ?? "", ct);
        var folder = await client.GetFolderAsync(imap.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var mailbox = $"{imap.User}@{imap.Host}/{imap.Folder}";
        var unseen = await folder.SearchAsync(SearchQuery.NotSeen, ct);
        var open = await ledger.OpenAsync(mailbox, folder.UidValidity, [.. unseen.Select(u => (long)u.Id)], ct);
        IMailFolder? destination = string.IsNullOrWhiteSpace(imap.MoveTo) ? null : await client.GetFolderAsync(imap.MoveTo, ct);
        var handled = 0;
        foreach (var uid in open.Take(imap.MaxPerPoll))
        {
            if (!await ledger.ClaimAsync(mailbox, folder.UidValidity, uid, ct))
            {
                continue;
            }
            var id = new UniqueId((uint)uid);
            MailOutcome outcome;
            try
            {
                using var raw = new MemoryStream();
                var message = await folder.GetMessageAsync(id, ct);
                await message.WriteToAsync(raw, ct);
                outcome = await intake.ImportAsync(raw.ToArray(), ct);
            }
            catch (IntakeUnavailableException ex)
            {
                await ledger.ReleaseAsync(mailbox, folder.UidValidity, uid, CancellationToken.None);
                logger.LogWarning(ex, "Mail {Uid} could not be stored; it stays unseen for the next poll", uid);
                break;
            }
            if (destination is not null)
            {
                await folder.MoveToAsync(id, destination, ct);
            }
            else
            {
                await folder.AddFlagsAsync(id, MessageFlags.Seen, silent: true, ct);
            }
            await ledger.CompleteAsync(mailbox, folder.UidValidity, uid, outcome.Kind == MailOutcomeKind.Rejected
                ? "rejected: " + outcome.Reason
                : $"{outcome.Kind.ToString().ToLowerInvariant()}: message {outcome.Stored!.MessageId}", ct);
            handled++;
        }
        await client.DisconnectAsync(quit: true, ct);
        return handled;
    }
}
