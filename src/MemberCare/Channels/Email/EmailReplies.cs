using System.Text;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Email;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace MemberCare.Channels.Email;

/// <summary>
/// Turns an agent's reply on an e-mail conversation into a MIME message with the thread's headers and enqueues it
/// for the care mailbox, inside the caller's transaction, so the reply and its outbound mail commit together.
/// </summary>
public sealed class EmailReplies(IOptions<EmailOptions> options, ILogger<EmailReplies> logger)
{
    public const string EventType = "email.reply";
    public const string TargetName = "Care mailbox";

    /// <summary>Enqueues the reply; false (logged) when the care mailbox or the customer's address is unknown.</summary>
    public async Task<bool> EnqueueAsync(MemberCareDb db, Conversation conversation, Message reply, DateTimeOffset now, CancellationToken ct)
    {
        if (conversation.Channel != Channel.Email || reply.Direction != MessageDirection.Outbound)
        {
            return false;
        }
        var address = options.Value.Address?.Trim();
        if (string.IsNullOrEmpty(address) || !MailboxAddress.TryParse(address, out var from))
        {
            logger.LogError("Reply {MessageId} on e-mail conversation {ConversationId} was not sent: Email:Address is not configured", reply.Id, conversation.Id);
            reply.DeliveryFailed("Not sent: the care mailbox (Email:Address) is not configured.");
            await db.SaveChangesAsync(ct);
            return false;
        }
        from.Name = options.Value.DisplayName;

        var lastInbound = await db.EmailHeaders.AsNoTracking()
            .Where(h => !h.Outbound && db.Messages.Any(m => m.Id == h.MessageId && m.ConversationId == conversation.Id))
            .OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .FirstOrDefaultAsync(ct);
        var customerEmail = lastInbound?.Sender
            ?? await db.Customers.Where(c => c.Id == conversation.CustomerId).Select(c => c.Email).FirstOrDefaultAsync(ct);
        if (string.IsNullOrEmpty(customerEmail) || !MailboxAddress.TryParse(customerEmail, out var to))
        {
            logger.LogError("Reply {MessageId} on e-mail conversation {ConversationId} was not sent: the customer has no e-mail address", reply.Id, conversation.Id);
            reply.DeliveryFailed("Not sent: the customer has no e-mail address.");
            await db.SaveChangesAsync(ct);
            return false;
        }
        var customerName = await db.Customers.Where(c => c.Id == conversation.CustomerId).Select(c => c.Name).FirstOrDefaultAsync(ct);
        to.Name = customerName;

        var domain = from.Domain is { Length: > 0 } d ? d : "membercare.local";
        var mail = Build(from, to, conversation.Subject, reply.Text, lastInbound, domain, now);
        var body = Serialize(mail);
        if (body.Length > OutboxMessage.MaxBodyLength)
        {
            logger.LogError("Reply {MessageId} is too long to send by e-mail ({Length} characters)", reply.Id, body.Length);
            reply.DeliveryFailed("Not sent: too long for an e-mail.");
            await db.SaveChangesAsync(ct);
            return false;
        }

        var target = await db.DeliveryTargets.FirstOrDefaultAsync(t => t.Kind == DeliveryKind.Email && t.Name == TargetName, ct);
        if (target is null)
        {
            target = new DeliveryTarget(TargetName, DeliveryKind.Email, address, protectedSecret: null);
            db.DeliveryTargets.Add(target);
            await db.SaveChangesAsync(ct);
        }
        reply.DeliverySending();
        db.Outbox.Add(new OutboxMessage(target.Id, EventType, mail.Subject, body, now, reply.Id));
        var ownId = mail.MessageId!;
        var references = string.Join(' ', mail.References.Append(ownId));
        db.EmailHeaders.Add(EmailHeader.Create(ownId, conversation.ThreadKey ?? ownId, reply.Id, customerEmail.ToLowerInvariant(),
            MailText.ThreadSubject(mail.Subject), references, outbound: true, now));
        await db.SaveChangesAsync(ct);
        return true;
    }

    internal static MimeMessage Build(MailboxAddress from, MailboxAddress to, string? subject, string text, EmailHeader? inReplyTo, string domain, DateTimeOffset now)
    {
        var mail = new MimeMessage();
        mail.From.Add(from);
        mail.To.Add(to);
        var topic = string.IsNullOrWhiteSpace(subject) ? "Your message" : subject.Trim();
        mail.Subject = topic.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? topic : "Re: " + topic;
        mail.Date = now;
        mail.MessageId = MimeUtils.GenerateMessageId(domain);
        if (inReplyTo is not null)
        {
            mail.InReplyTo = inReplyTo.MessageIdHeader;
            foreach (var id in inReplyTo.References.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                mail.References.Add(id);
            }
        }
        mail.Headers.Add(HeaderId.AutoSubmitted, "no");
        mail.Body = new TextPart("plain") { Text = text };
        return mail;
    }

    internal static string Serialize(MimeMessage mail)
    {
        using var buffer = new MemoryStream();
        mail.WriteTo(FormatOptions.Default, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
