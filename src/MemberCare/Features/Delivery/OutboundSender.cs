using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MemberCare.Channels;
using MemberCare.Domain.Delivery;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MemberCare.Features.Delivery;

/// <summary>How one attempt went: Permanent means retrying cannot help (the platform refused the request itself).</summary>
public sealed record DeliveryAttempt(bool Succeeded, string? Error = null, TimeSpan? RetryAfter = null, bool Permanent = false)
{
    public static DeliveryAttempt Ok { get; } = new(true);
}

/// <summary>Sends one outbox message to its target: a signed webhook, an e-mail, a Slack message or a platform reply.</summary>
public sealed class OutboundSender(
    IHttpClientFactory clients,
    TargetSecrets secrets,
    IOptionsMonitor<DeliveryOptions> delivery,
    IOptionsMonitor<ChannelsOptions> channels,
    TimeProvider time)
{
    public const string HttpClientName = "delivery";

    public async Task<DeliveryAttempt> SendAsync(DeliveryTarget target, OutboxMessage message, CancellationToken ct)
    {
        try
        {
            return target.Kind switch
            {
                DeliveryKind.Webhook => await WebhookAsync(target, message, ct),
                DeliveryKind.Slack => await SlackAsync(target, message, ct),
                DeliveryKind.Email => await EmailAsync(target, message, ct),
                DeliveryKind.MetaGraph => await PlatformAsync(channels.CurrentValue.Meta.GraphBaseUrl, channels.CurrentValue.Meta.PageAccessToken, message, ct),
                DeliveryKind.XApi => await PlatformAsync(channels.CurrentValue.X.ApiBaseUrl, channels.CurrentValue.X.BearerToken, message, ct),
                _ => new DeliveryAttempt(false, $"No sender for {target.Kind}.", Permanent: true),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAttempt(false, $"No answer within {delivery.CurrentValue.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryAttempt(false, Describe(ex));
        }
        catch (Exception ex) when (ex is IOException or SmtpCommandException or SmtpProtocolException or AuthenticationException
            or System.Net.Sockets.SocketException or ServiceNotConnectedException)
        {
            return new DeliveryAttempt(false, $"{ex.GetType().Name}: {ex.Message}");
        }
        catch (CryptographicException)
        {
            return new DeliveryAttempt(false, "The target's secret cannot be read (its Data Protection key is gone); set a new secret.", Permanent: true);
        }
    }

    private async Task<DeliveryAttempt> WebhookAsync(DeliveryTarget target, OutboxMessage message, CancellationToken ct)
    {
        if (target.ProtectedSecret is null)
        {
            return new DeliveryAttempt(false, "A webhook target needs a signing secret.", Permanent: true);
        }
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Address)
        {
            Content = new StringContent(message.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(secrets.Unprotect(target.ProtectedSecret), message.WebhookId, timestamp, message.Body));
        request.Headers.Add("X-MemberCare-Event", message.EventType);
        return await PostAsync(request, permanentOn4xx: false, ct);
    }

    private async Task<DeliveryAttempt> SlackAsync(DeliveryTarget target, OutboxMessage message, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(message.Subject) ? message.Body : $"*{message.Subject}*\n{message.Body}";
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Address)
        {
            Content = new StringContent(new JsonObject { ["text"] = text }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return await PostAsync(request, permanentOn4xx: false, ct);
    }

    /// <summary>The outbox body is {"path": ..., "payload": {...}}, composed when the reply was written.</summary>
    private async Task<DeliveryAttempt> PlatformAsync(Uri baseUrl, string? token, OutboxMessage message, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            return new DeliveryAttempt(false, "The platform's access token is not configured.", Permanent: true);
        }
        var call = JsonNode.Parse(message.Body)!.AsObject();
        var path = (string)call["path"]!;
        var url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(call["payload"]!.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await PostAsync(request, permanentOn4xx: true, ct);
    }

    private async Task<DeliveryAttempt> PostAsync(HttpRequestMessage request, bool permanentOn4xx, CancellationToken ct)
    {
        using var client = clients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(delivery.CurrentValue.RequestTimeout);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.IsSuccessStatusCode)
        {
            return DeliveryAttempt.Ok;
        }
        var status = (int)response.StatusCode;
        var body = await ReadSnippetAsync(response, timeout.Token);
        var error = $"HTTP {status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : "")}";
        var retryAfter = RetryAfter(response);
        var permanent = permanentOn4xx && status is >= 400 and < 500 and not 408 and not 409 and not 425 and not 429;
        return new DeliveryAttempt(false, error, retryAfter, permanent);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }
        if (header.Delta is { } delta)
        {
            return delta;
        }
        return header.Date is { } date ? date - time.GetUtcNow() : null;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var buffer = new char[300];
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            var read = await reader.ReadBlockAsync(buffer, ct);
            return new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return "";
        }
    }

    private async Task<DeliveryAttempt> EmailAsync(DeliveryTarget target, OutboxMessage message, CancellationToken ct)
    {
        var smtp = delivery.CurrentValue.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return new DeliveryAttempt(false, "Delivery:Smtp:Host is not configured.");
        }
        var mime = ComposeEmail(target, message, smtp);
        using var client = new SmtpClient { Timeout = (int)delivery.CurrentValue.RequestTimeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        }, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        }
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
        return DeliveryAttempt.Ok;
    }

    /// <summary>
    /// A body that is a complete MIME message (headers first, with a To header) goes as it is: the e-mail channel
    /// writes customer replies that way, with its own threading headers. Anything else is text for the target's address.
    /// </summary>
    internal static MimeMessage ComposeEmail(DeliveryTarget target, OutboxMessage message, SmtpOptions smtp)
    {
        var from = MailboxAddress.Parse(smtp.From);
        if (TryParseMime(message.Body) is { } complete)
        {
            if (complete.From.Count == 0)
            {
                complete.From.Add(from);
            }
            return complete;
        }
        var mime = new MimeMessage
        {
            Subject = message.Subject ?? message.EventType,
            Body = new TextPart("plain") { Text = message.Body },
        };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(target.Address));
        // Stable across retries, so a mailbox that receives a message twice shows the same Message-ID.
        var domain = from.Address.Contains('@', StringComparison.Ordinal) ? from.Address[(from.Address.IndexOf('@', StringComparison.Ordinal) + 1)..] : "membercare.invalid";
        mime.MessageId = $"{message.WebhookId}@{domain}";
        return mime;
    }

    private static MimeMessage? TryParseMime(string body)
    {
        var firstLine = body.AsSpan(0, Math.Max(0, body.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : body.Length));
        var colon = firstLine.IndexOf(':');
        if (colon <= 0 || firstLine[..colon].ContainsAnyExceptInRange((char)33, (char)126))
        {
            return null;
        }
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
            var parsed = MimeMessage.Load(stream);
            return parsed.To.Count > 0 ? parsed : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        while (inner is not null && inner is not OutboundAddressRefusedException && inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner is OutboundAddressRefusedException refused ? "Refused: " + refused.Message
            : ex.StatusCode is HttpStatusCode code ? $"HTTP {(int)code}: {ex.Message}"
            : inner is null ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
