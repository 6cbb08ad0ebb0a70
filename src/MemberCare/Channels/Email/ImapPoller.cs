using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;
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
    ChannelHealthLog health,
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
                // A mailbox that cannot be read is a silent channel unless operators see why on the health page.
                await health.RecordDeliveryFailureAsync(WebhookSource.Email, FailureReason(imap, ex), time.GetUtcNow(), stoppingToken);
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
        var batch = open.Take(imap.MaxPerPoll).Select(uid => new UniqueId((uint)uid)).ToList();
        var sizes = batch.Count == 0
            ? new Dictionary<UniqueId, uint?>()
            : (await folder.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct)).ToDictionary(s => s.UniqueId, s => s.Size);
        IMailFolder? destination = string.IsNullOrWhiteSpace(imap.MoveTo) ? null : await client.GetFolderAsync(imap.MoveTo, ct);
        var handled = 0;
        foreach (var id in batch)
        {
            if (!sizes.ContainsKey(id))
            {
                // Expunged by a mail client since the search.
                continue;
            }
            if (!await ledger.ClaimAsync(mailbox, folder.UidValidity, id.Id, ct))
            {
                continue;
            }
            MailOutcome outcome;
            try
            {
                outcome = await ImportAsync(folder, id, sizes[id], ct);
            }
            catch (IntakeUnavailableException ex)
            {
                await ledger.ReleaseAsync(mailbox, folder.UidValidity, id.Id, CancellationToken.None);
                logger.LogWarning(ex, "Mail {Uid} could not be stored; it stays unseen for the next poll", id.Id);
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
            await ledger.CompleteAsync(mailbox, folder.UidValidity, id.Id, outcome.Kind == MailOutcomeKind.Rejected
                ? "rejected: " + outcome.Reason
                : $"{outcome.Kind.ToString().ToLowerInvariant()}: message {outcome.Stored!.MessageId}", ct);
            handled++;
        }
        await client.DisconnectAsync(quit: true, ct);
        return handled;
    }

    /// <summary>Takes the mail in as the server holds it, byte for byte; one over the size limit is refused unread.</summary>
    private async Task<MailOutcome> ImportAsync(IMailFolder folder, UniqueId id, uint? size, CancellationToken ct)
    {
        var max = options.Value.MaxMessageBytes;
        if (size > max)
        {
            var reason = $"The mail is {size} bytes, over the limit of {max} (Email:MaxMessageBytes); it was not read.";
            await health.RecordDeliveryFailureAsync(WebhookSource.Email, reason, time.GetUtcNow(), ct);
            return MailOutcome.Rejected(reason);
        }
        using var raw = new MemoryStream();
        using (var stream = await folder.GetStreamAsync(id, ct))
        {
            await stream.CopyToAsync(raw, ct);
        }
        return await intake.ImportAsync(raw.ToArray(), ct);
    }

    private static string FailureReason(ImapOptions imap, Exception ex) => ex switch
    {
        AuthenticationException => $"IMAP sign-in as {imap.User} at {imap.Host} was refused: check the user and the password (channel secret {ChannelSecrets.ImapPassword}). {ex.Message}",
        FolderNotFoundException missing => $"IMAP folder '{missing.FolderName}' does not exist at {imap.Host} (Email:Imap:Folder, Email:Imap:MoveTo).",
        _ => $"IMAP poll of {imap.Host}:{imap.Port}/{imap.Folder} failed: {ex.GetType().Name}: {ex.Message}",
    };
}
