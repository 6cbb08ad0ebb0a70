using System.Net;
using MemberCare.Domain;
using MemberCare.Domain.Delivery;
using MemberCare.Features.Delivery;
using MemberCare.Tests.Channels;

namespace MemberCare.Tests.Delivery;

public sealed class DeliveryRulesTests
{
    [Fact]
    public void The_webhook_signature_matches_the_official_Standard_Webhooks_vector()
    {
        var official = WebhookFixtures.Vectors.GetProperty("standard_webhooks_official");
        var secret = official.GetProperty("secret").GetString()!;
        var id = official.GetProperty("webhook-id").GetString()!;
        var timestamp = long.Parse(official.GetProperty("webhook-timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var payload = official.GetProperty("payload").GetString()!;

        Assert.Equal(official.GetProperty("webhook-signature").GetString(), StandardWebhookSignature.Sign(secret, id, timestamp, payload));
        Assert.True(StandardWebhookSignature.Verify(secret, id, timestamp, payload, "v1,bogus= " + official.GetProperty("webhook-signature").GetString()));
        Assert.False(StandardWebhookSignature.Verify(secret, id, timestamp, payload + " ", official.GetProperty("webhook-signature").GetString()!));
        Assert.False(StandardWebhookSignature.Verify(secret, id, timestamp + 1, payload, official.GetProperty("webhook-signature").GetString()!));
    }

    [Fact]
    public void Retries_back_off_exponentially_over_about_a_day_and_then_give_up()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions());
        var planned = Enumerable.Range(1, schedule.MaxAttempts - 1).Select(schedule.Delay).ToList();

        Assert.All(planned.Zip(planned.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        var total = planned.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(total, TimeSpan.FromHours(12), TimeSpan.FromHours(24));
        Assert.InRange(schedule.MaxAttempts, 6, 20);
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Assert.NotNull(schedule.Next(schedule.MaxAttempts - 1, now, null, new Random(1)));
        Assert.Null(schedule.Next(schedule.MaxAttempts, now, null, new Random(1)));
    }

    [Fact]
    public void Jitter_spreads_retries_and_a_later_Retry_After_wins()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions { FirstDelay = TimeSpan.FromSeconds(100), Jitter = 0.2 });
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => (schedule.Next(1, now, null, random)!.Value - now).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 80, 120));
        Assert.True(delays.Distinct().Count() > 100);
        Assert.Equal(now.AddSeconds(600), schedule.Next(1, now, TimeSpan.FromSeconds(600), random));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:c0a8:101::1")]
    public void Inside_addresses_are_not_public(string address) =>
        Assert.False(OutboundAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Internet_addresses_are_public(string address) =>
        Assert.True(OutboundAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void A_secret_is_masked_to_its_prefix_and_last_four_characters()
    {
        var secret = TargetSecrets.NewWebhookSecret();
        Assert.Equal($"whsec_…{secret[^4..]}", TargetSecrets.Mask(secret));
        Assert.Equal("…", TargetSecrets.Mask("short"));
        Assert.DoesNotContain(secret[6..^4], TargetSecrets.Mask(secret), StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_MIME_body_is_sent_as_it_is_and_plain_text_goes_to_the_target_address()
    {
        var target = new DeliveryTarget("Warehouse", DeliveryKind.Email, "lager@example.no", null);
        var smtp = new SmtpOptions { From = "Care <care@shop.example>" };
        var now = DateTimeOffset.UnixEpoch;
        const string Mime = "From: Care <care@shop.example>\r\nTo: nora@example.no\r\nSubject: Re: Kjolen\r\nIn-Reply-To: <abc@mail.example>\r\nMessage-ID: <reply-1@shop.example>\r\n\r\nHei Nora!\r\n";

        var complete = OutboundSender.ComposeEmail(target, new OutboxMessage(target.Id, "conversation.reply", "ignored", Mime, now), smtp);
        Assert.Equal("nora@example.no", Assert.Single(complete.To.Mailboxes).Address);
        Assert.Equal("abc@mail.example", complete.InReplyTo);
        Assert.Equal("reply-1@shop.example", complete.MessageId);

        var plain = new OutboxMessage(target.Id, "handoff.requested", "Ny sak", "Kunden fikk feil størrelse.", now);
        var composed = OutboundSender.ComposeEmail(target, plain, smtp);
        Assert.Equal("lager@example.no", Assert.Single(composed.To.Mailboxes).Address);
        Assert.Equal("Ny sak", composed.Subject);
        Assert.Equal($"{plain.WebhookId}@shop.example", composed.MessageId);
        Assert.Contains("feil størrelse", composed.TextBody, StringComparison.Ordinal);

        var headerless = OutboundSender.ComposeEmail(target, new OutboxMessage(target.Id, "x", null, "Note: this is text, not MIME.\nSecond line", now), smtp);
        Assert.Equal("lager@example.no", Assert.Single(headerless.To.Mailboxes).Address);
    }

    [Theory]
    [InlineData(Channel.Messenger, "dm:psid-1", null, "me/messages")]
    [InlineData(Channel.Instagram, "dm:igsid-1", null, "me/messages")]
    [InlineData(Channel.Instagram, "media-9", "comment-7", "comment-7/replies")]
    [InlineData(Channel.Facebook, "post-3", "comment-4", "comment-4/comments")]
    [InlineData(Channel.X, "public", "1850000000000000001", "2/tweets")]
    [InlineData(Channel.X, "dm", "dm:55", "2/dm_conversations/with/x-user-1/messages")]
    public void A_platform_reply_goes_to_the_direct_message_or_under_the_customers_comment(Channel channel, string threadKey, string? lastInbound, string path)
    {
        var call = PlatformReplies.Compose(channel, threadKey, lastInbound, "x-user-1", "Hei!");
        Assert.NotNull(call);
        Assert.Equal(path, (string?)call["path"]);
    }
}
