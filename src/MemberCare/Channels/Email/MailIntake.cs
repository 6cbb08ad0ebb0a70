using System.Security.Cryptography;
using System.Text;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Email;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MemberCare.Channels.Email;

public enum MailOutcomeKind
{
    Stored,
    Duplicate,
    Rejected,
}

/// <summary>What became of one raw mail: stored (with its ids), a duplicate of a stored one, or refused with the reason.</summary>
public sealed record MailOutcome(MailOutcomeKind Kind, string MessageIdHeader, IntakeOutcome? Stored, string? Reason, int Attachments = 0)
{
    public static MailOutcome Rejected(string reason) => new(MailOutcomeKind.Rejected, "", null, reason);
}

/// <summary>
/// Takes in one e-mail as raw MIME, from the POST endpoint or an IMAP poll: parse, refuse what is not a customer's
/// mail, thread it, store it through intake (idempotent on Message-ID), then record its headers and attachments.
/// The second step is idempotent too, so a retry after a crash between the two completes what the first left.
/// </summary>
public sealed class MailIntake(
    IDbContextFactory<MemberCareDb> dbFactory,
    IntakeWriter intake,
    ChannelHealthLog health,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<MailIntake> logger)
{
    private const int MaxRawPayloadChars = 256 * 1024;

    private static readonly ParserOptions s_parser = new() { MaxMimeDepth = 32, AllowUnquotedCommasInAddresses = true };

    public async Task<MailOutcome> ImportAsync(byte[] raw, CancellationToken ct)
    {
        var outcome = await ReadAndStoreAsync(raw, ct);
        var now = time.GetUtcNow();
        if (outcome.Kind == MailOutcomeKind.Rejected)
        {
            await health.RecordDeliveryFailureAsync(WebhookSource.Email, outcome.Reason!, now, ct);
        }
        else if (outcome.Kind == MailOutcomeKind.Stored)
        {
            await health.RecordDeliveryAsync(WebhookSource.Email, now, ct);
        }
        return outcome;
    }

    private async Task<MailOutcome> ReadAndStoreAsync(byte[] raw, CancellationToken ct)
    {
        if (raw.Length == 0)
        {
            return MailOutcome.Rejected("The body is empty; send the mail as raw MIME (message/rfc822).");
        }
        MimeMessage mail;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            mail = await MimeMessage.LoadAsync(s_parser, stream, ct);
        }
        catch (FormatException ex)
        {
            return MailOutcome.Rejected("The body is not a MIME message: " + ex.Message);
        }
        var read = Read(mail, raw);
        if (read.Rejection is { } reason)
        {
            return MailOutcome.Rejected(reason);
        }
        var parsed = read.Mail!;

        var threadKey = await ThreadKeyAsync(parsed, ct);
        var message = new InboundMessage(
            Channel.Email,
            parsed.MessageIdHeader,
            new CustomerReference(parsed.SenderName, parsed.Sender, null),
            parsed.Text,
            parsed.SentAt ?? time.GetUtcNow(),
            ThreadKey: threadKey,
            Subject: parsed.Subject,
            RawPayload: raw.Length <= MaxRawPayloadChars ? Encoding.UTF8.GetString(raw) : null,
            TriageText: MailText.ForTriage(parsed.Text));
        IntakeOutcome stored;
        try
        {
            stored = await intake.SubmitAsync(message, ct);
        }
        catch (ArgumentException ex)
        {
            return MailOutcome.Rejected(ex.Message);
        }
        var attachments = await CompleteAsync(parsed, threadKey, stored, ct);
        return new MailOutcome(stored.Created ? MailOutcomeKind.Stored : MailOutcomeKind.Duplicate, parsed.MessageIdHeader, stored, null, attachments);
    }

    /// <summary>The thread this mail joins: a referenced mail's, else a recent one's with the same subject and sender, else its own.</summary>
    private async Task<string> ThreadKeyAsync(ParsedMail mail, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (mail.Referenced.Count > 0)
        {
            var referenced = mail.Referenced;
            var known = await db.EmailHeaders.AsNoTracking()
                .Where(h => referenced.Contains(h.MessageIdHeader))
                .Select(h => new { h.MessageIdHeader, h.ThreadKey, h.At })
                .ToListAsync(ct);
            // The nearest ancestor wins: In-Reply-To first, then References from the newest back.
            foreach (var id in referenced)
            {
                if (known.FirstOrDefault(k => k.MessageIdHeader == id) is { } hit)
                {
                    return hit.ThreadKey;
                }
            }
        }
        if (mail.ThreadSubject is { } subject)
        {
            var since = time.GetUtcNow() - options.Value.SubjectThreadWindow;
            var sender = mail.Sender;
            var recent = await db.EmailHeaders.AsNoTracking()
                .Where(h => h.Sender == sender && h.ThreadSubject == subject && h.At >= since)
                .OrderByDescending(h => h.At)
                .Select(h => h.ThreadKey)
                .FirstOrDefaultAsync(ct);
            if (recent is not null)
            {
                return recent;
            }
        }
        return mail.MessageIdHeader;
    }

    /// <summary>Records the headers and attachments once per Message-ID: the header row's unique index decides who writes them.</summary>
    private async Task<int> CompleteAsync(ParsedMail mail, string threadKey, IntakeOutcome stored, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.EmailHeaders.AnyAsync(h => h.MessageIdHeader == mail.MessageIdHeader, ct))
        {
            return await db.EmailAttachments.CountAsync(a => a.MessageId == stored.MessageId, ct);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var references = string.Join(' ', mail.ReferencesChain.Append(mail.MessageIdHeader));
            db.EmailHeaders.Add(EmailHeader.Create(mail.MessageIdHeader, threadKey, stored.MessageId, mail.Sender, mail.ThreadSubject, references, outbound: false, time.GetUtcNow()));
            foreach (var file in mail.Attachments)
            {
                db.EmailAttachments.Add(EmailAttachment.Create(stored.MessageId, file.FileName, file.ContentType, file.DeclaredContentType, file.Content,
                    Convert.ToHexStringLower(SHA256.HashData(file.Content))));
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return mail.Attachments.Count;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            logger.LogDebug("Mail {MessageId} was completed by another request", mail.MessageIdHeader);
            return mail.Attachments.Count;
        }
    }

    /// <summary>Reads the parts intake needs; a rejection says why the mail is not a customer's message.</summary>
    internal (ParsedMail? Mail, string? Rejection) Read(MimeMessage mail, byte[] raw)
    {
        if (mail.Body is MultipartReport || mail.Body is MessageDeliveryStatus)
        {
            return (null, "The mail is an automated delivery or read report (multipart/report), not a customer's message.");
        }
        var autoSubmitted = mail.Headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"The mail is Auto-Submitted ({autoSubmitted.Trim()}); automatic replies are not taken in.");
        }
        var from = mail.From.Mailboxes.FirstOrDefault() ?? mail.Sender ?? mail.ReplyTo.Mailboxes.FirstOrDefault();
        var sender = from?.Address?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(sender) || !sender.Contains('@', StringComparison.Ordinal) || sender.Length > 320)
        {
            return (null, "The mail has no usable From address, so there is nobody to answer.");
        }
        if (options.Value.Address is { } own && string.Equals(own.Trim(), sender, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The mail is from the care mailbox itself.");
        }

        // Without a Message-ID the bytes are the identity: the same mail posted twice is still one message.
        var messageId = Key(mail.MessageId) ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
        var inReplyTo = Key(mail.InReplyTo);
        var chain = mail.References.Select(Key).OfType<string>().Distinct().ToList();
        var referenced = new List<string>();
        if (inReplyTo is not null)
        {
            referenced.Add(inReplyTo);
        }
        referenced.AddRange(Enumerable.Reverse(chain).Where(r => !referenced.Contains(r)));
        referenced.RemoveAll(r => r == messageId);
        if (chain.Count == 0 && inReplyTo is not null)
        {
            chain.Add(inReplyTo);
        }

        var kept = new List<MailFile>();
        var leftOut = new List<string>();
        var textPart = mail.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && p.IsPlain)
            ?? mail.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && p.IsHtml);
        foreach (var entity in mail.BodyParts)
        {
            if (ReferenceEquals(entity, textPart) || (entity is TextPart { IsAttachment: false } text && (text.IsPlain || text.IsHtml)))
            {
                continue;
            }
            var file = ReadFile(entity, kept.Count + leftOut.Count + 1);
            if (file is null)
            {
                continue;
            }
            if (file.Content.Length > options.Value.MaxAttachmentBytes)
            {
                leftOut.Add($"{file.FileName} ({file.Content.Length / 1024} KB)");
                continue;
            }
            kept.Add(file);
        }

        var body = textPart is null ? null : textPart.IsHtml ? MailText.FromHtml(textPart.Text ?? "") : textPart.Text;
        body = body?.ReplaceLineEndings("\n").Trim();
        var notes = new StringBuilder();
        foreach (var file in kept)
        {
            notes.Append("\n[attachment: ").Append(file.FileName).Append(", ").Append(file.ContentType).Append(", ").Append(file.Content.Length / 1024).Append(" KB]");
        }
        foreach (var file in leftOut)
        {
            notes.Append("\n[attachment not kept, over ").Append(options.Value.MaxAttachmentBytes / 1024).Append(" KB: ").Append(file).Append(']');
        }
        if (string.IsNullOrWhiteSpace(body) && notes.Length == 0)
        {
            if (string.IsNullOrWhiteSpace(mail.Subject))
            {
                return (null, "The mail has no text, no subject and no attachments.");
            }
            body = mail.Subject.Trim();
        }
        var full = ((body ?? "(no text)") + (notes.Length > 0 ? "\n" + notes : "")).Trim();
        if (full.Length > Conversation.MaxTextLength)
        {
            const string cut = "\n[… the rest of the mail is longer than a message holds; see the raw mail]";
            full = full[..(Conversation.MaxTextLength - cut.Length)] + cut;
        }

        var name = from!.Name?.Trim();
        var subject = mail.Subject?.Trim();
        DateTimeOffset? sentAt = mail.Date == DateTimeOffset.MinValue || mail.Date.Year < 1990 ? null : mail.Date.ToUniversalTime();
        return (new ParsedMail(
            messageId, sender, string.IsNullOrEmpty(name) ? null : name.Length > 200 ? name[..200] : name,
            subject is { Length: > 300 } ? subject[..300] : string.IsNullOrEmpty(subject) ? null : subject,
            MailText.ThreadSubject(subject), full, sentAt, referenced, chain, kept), null);
    }

    private static MailFile? ReadFile(MimeEntity entity, int index)
    {
        using var content = new MemoryStream();
        string declared;
        string? fileName;
        switch (entity)
        {
            case MessagePart attached when attached.Message is { } inner:
                inner.WriteTo(content);
                declared = "message/rfc822";
                fileName = attached.ContentDisposition?.FileName ?? Clean(inner.Subject) + ".eml";
                break;
            case MimePart part when part.Content is not null:
                part.Content.DecodeTo(content);
                declared = part.ContentType.MimeType;
                fileName = part.FileName;
                break;
            default:
                return null;
        }
        var bytes = content.ToArray();
        if (bytes.Length == 0)
        {
            return null;
        }
        var sniffed = declared == "message/rfc822" ? declared : ContentSniffer.Sniff(bytes);
        fileName = string.IsNullOrWhiteSpace(fileName) ? $"attachment-{index}" : Path.GetFileName(fileName.Trim());
        return new MailFile(string.IsNullOrEmpty(fileName) ? $"attachment-{index}" : fileName, sniffed, declared, bytes);
    }

    /// <summary>A Message-ID as stored and compared: without brackets, and hashed when longer than the columns allow.</summary>
    public static string? Key(string? id)
    {
        var clean = Clean(id);
        return clean is { Length: > EmailHeader.MaxIdLength } ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clean))) : clean;
    }

    private static string? Clean(string? id)
    {
        var trimmed = id?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    internal sealed record MailFile(string FileName, string ContentType, string? DeclaredContentType, byte[] Content);

    internal sealed record ParsedMail(
        string MessageIdHeader,
        string Sender,
        string? SenderName,
        string? Subject,
        string? ThreadSubject,
        string Text,
        DateTimeOffset? SentAt,
        IReadOnlyList<string> Referenced,
        IReadOnlyList<string> ReferencesChain,
        IReadOnlyList<MailFile> Attachments);
}
