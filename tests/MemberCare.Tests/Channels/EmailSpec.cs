using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MemberCare.Channels.Email;
using MemberCare.Domain;
using MemberCare.Domain.Delivery;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MemberCare.Tests.Channels;

/// <summary>E-mail in as raw MIME: the MimeKit hard cases, threading, de-duplication, attachments, and replies out through the outbox.</summary>
public abstract class EmailSpec : DatabaseSpec
{
    private Task<TestApp> AppAsync() => CreateAppAsync(MailFixtures.Settings);

    [Fact]
    public async Task Every_fixture_mail_is_stored_or_refused_with_a_reason_and_none_answers_5xx()
    {
        MailFixtures.RequireFolder();
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        var outcomes = new List<string>();

        foreach (var file in MailFixtures.Files())
        {
            var raw = await File.ReadAllBytesAsync(file, Ct);
            var mails = file.Contains(".mbox", StringComparison.Ordinal) ? SplitMbox(raw) : [raw];
            foreach (var mail in mails)
            {
                using var response = await client.PostMailAsync(mail);
                var body = await response.Content.ReadAsStringAsync(Ct);
                outcomes.Add($"{Path.GetFileName(file)}: {(int)response.StatusCode}");
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity,
                    $"{Path.GetFileName(file)} answered {(int)response.StatusCode}: {body}");
                if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(body)!["detail"]?.GetValue<string>()), $"{Path.GetFileName(file)} was refused without a reason");
                }
                else
                {
                    var id = JsonNode.Parse(body)!["storedMessageId"]!.GetValue<long>();
                    await using var db = await app.OpenDbAsync();
                    var stored = await db.Messages.SingleAsync(m => m.Id == id, Ct);
                    Assert.False(string.IsNullOrWhiteSpace(stored.Text));
                    Assert.True(await db.EmailHeaders.AnyAsync(h => h.MessageId == id, Ct));
                }
            }
        }
        TestContext.Current.SendDiagnosticMessage(string.Join("; ", outcomes));
        Assert.Contains(outcomes, o => o.EndsWith(": 201", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("messages_bounce.txt: 422", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("mbox_simple.mbox.txt: 201", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_by_In_Reply_To_by_References_or_by_subject_and_sender_joins_the_first_mails_conversation()
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();

        var t = Api.Unique("t");
        var nora = $"nora.{t}@example.no";
        var first = await StoreAsync(client, MailFixtures.Mail($"root.{t}@example.no", from: nora, subject: "Order 10023 wrong size"));
        var byInReplyTo = await StoreAsync(client, MailFixtures.Mail($"second.{t}@example.no", from: nora, subject: "Re: Order 10023 wrong size", inReplyTo: $"root.{t}@example.no"));
        var byReferences = await StoreAsync(client, MailFixtures.Mail($"third.{t}@example.no", from: nora, subject: "other words", references: $"<unknown.{t}@x> <second.{t}@example.no>"));
        var bySubject = await StoreAsync(client, MailFixtures.Mail($"fourth.{t}@example.no", from: nora, subject: "SV: Re: Fwd: order 10023  wrong size"));
        var otherSender = await StoreAsync(client, MailFixtures.Mail($"fifth.{t}@example.no", from: $"someone.{t}@example.no", subject: "Re: Order 10023 wrong size"));

        Assert.Equal(first, byInReplyTo);
        Assert.Equal(first, byReferences);
        Assert.Equal(first, bySubject);
        Assert.NotEqual(first, otherSender);
        await using var db = await app.OpenDbAsync();
        var conversation = await db.Conversations.SingleAsync(c => c.Id == first, Ct);
        Assert.Equal(4, conversation.MessageCount);
        Assert.Equal($"root.{t}@example.no", conversation.ThreadKey);
    }

    [Fact]
    public async Task The_same_mail_posted_ten_times_in_a_row_and_fifty_times_at_once_is_stored_once()
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        var t = Api.Unique("t");
        var mail = Encoding.UTF8.GetBytes(MailFixtures.Mail($"dup.{t}@example.no", from: $"nora.{t}@example.no").ReplaceLineEndings("\r\n"));
        var noId = Encoding.UTF8.GetBytes(MailFixtures.Mail("", from: $"nora.{t}@example.no", subject: "No id").ReplaceLineEndings("\r\n"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostMailAsync(mail);
            statuses.Add(response.StatusCode);
        }
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await client.PostMailAsync(i % 2 == 0 ? mail : noId);
            return response.StatusCode;
        }));

        Assert.Equal(HttpStatusCode.Created, statuses[0]);
        Assert.All(statuses.Skip(1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(concurrent, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Created));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(2, await db.EmailHeaders.CountAsync(h => h.Sender == $"nora.{t}@example.no", Ct));
        Assert.Equal(2, await db.Messages.CountAsync(m => db.EmailHeaders.Any(h => h.MessageId == m.Id && h.Sender == $"nora.{t}@example.no"), Ct));
    }

    [Fact]
    public async Task Attachments_are_kept_with_the_type_their_bytes_show_and_one_over_the_limit_is_named_but_not_kept()
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Nora Berg", "nora.berg@example.no"));
        mail.To.Add(MailboxAddress.Parse(MailFixtures.CareAddress));
        mail.Subject = "Receipt and photo";
        mail.MessageId = Api.Unique("attach") + "@example.no";
        var builder = new BodyBuilder { TextBody = "Receipt attached." };
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
        builder.Attachments.Add("receipt.jpg", pdf, ContentType.Parse("image/jpeg"));
        builder.Attachments.Add("huge.bin", new byte[200_000], ContentType.Parse("application/octet-stream"));
        mail.Body = builder.ToMessageBody();
        using var buffer = new MemoryStream();
        await mail.WriteToAsync(buffer, Ct);

        using var response = await client.PostMailAsync(buffer.ToArray());
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        var conversationId = answer!["conversationId"]!.GetValue<long>();
        var files = await client.GetFromJsonAsync<JsonArray>($"/api/v1/conversations/{conversationId}/attachments", Ct);
        using var download = await client.GetAsync($"/api/v1/email/attachments/{files![0]!["id"]!.GetValue<long>()}", Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var file = Assert.Single(files);
        Assert.Equal("receipt.jpg", file!["fileName"]!.GetValue<string>());
        Assert.Equal("application/pdf", file["contentType"]!.GetValue<string>());
        Assert.Equal("image/jpeg", file["declaredContentType"]!.GetValue<string>());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        await using var db = await app.OpenDbAsync();
        var text = (await db.Messages.SingleAsync(m => m.Id == answer["storedMessageId"]!.GetValue<long>(), Ct)).Text;
        Assert.Contains("Receipt attached.", text, StringComparison.Ordinal);
        Assert.Contains("attachment not kept", text, StringComparison.Ordinal);
        Assert.Contains("huge.bin", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agents_reply_is_enqueued_as_a_threaded_MIME_mail_and_the_customers_answer_to_it_joins_the_conversation()
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        var t = Api.Unique("t");
        var nora = $"nora.{t}@example.no";
        var conversationId = await StoreAsync(client, MailFixtures.Mail($"start.{t}@example.no", from: nora, subject: "Order 10023 wrong size"));
        await StoreAsync(client, MailFixtures.Mail($"follow.{t}@example.no", from: nora, subject: "Re: Order 10023 wrong size",
            inReplyTo: $"start.{t}@example.no", references: $"<start.{t}@example.no>"));

        using var reply = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/replies", new { text = "Sorry! A new size is on its way.", author = "Kari" }, Ct);
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync(Ct));

        await using var db = await app.OpenDbAsync();
        var outbound = await db.Outbox.SingleAsync(o => o.Subject == "Re: Order 10023 wrong size" && o.Body.Contains(nora), Ct);
        var target = await db.DeliveryTargets.SingleAsync(t => t.Id == outbound.TargetId, Ct);
        Assert.Equal(DeliveryKind.Email, target.Kind);
        Assert.Equal(MailFixtures.CareAddress, target.Address);
        Assert.Equal(EmailReplies.EventType, outbound.EventType);
        var mail = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(outbound.Body)), Ct);
        Assert.Equal(MailFixtures.CareAddress, mail.From.Mailboxes.Single().Address);
        Assert.Equal(nora, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Re: Order 10023 wrong size", mail.Subject);
        Assert.Equal($"follow.{t}@example.no", mail.InReplyTo);
        Assert.Equal([$"start.{t}@example.no", $"follow.{t}@example.no"], mail.References.ToArray());
        Assert.Contains("A new size is on its way.", mail.TextBody, StringComparison.Ordinal);

        var answer = await StoreAsync(client, MailFixtures.Mail($"answer.{t}@example.no", from: nora, subject: "Thanks", inReplyTo: mail.MessageId));
        Assert.Equal(conversationId, answer);
    }

    [Fact]
    public async Task A_reply_on_a_chat_conversation_enqueues_no_mail()
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        using var posted = await client.PostAsJsonAsync("/api/v1/messages", Api.Message(Api.Unique("chat"), handle: "visitor-1"), Ct);
        var conversationId = (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["conversationId"]!.GetValue<long>();

        using var reply = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/replies", new { text = "Hello!", author = "Kari" }, Ct);

        Assert.True(reply.IsSuccessStatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Outbox.AnyAsync(o => o.Body.Contains("Hello!"), Ct));
        Assert.Equal(Channel.Chat, (await db.Conversations.SingleAsync(c => c.Id == conversationId, Ct)).Channel);
    }

    [Theory]
    [InlineData("application/json", "{\"from\": \"a@b.no\"}", 415, "message/rfc822")]
    [InlineData("message/rfc822", "", 422, "empty")]
    [InlineData("message/rfc822", "{\"from\": \"a@b.no\", \"text\": 5}", 422, "From address")]
    [InlineData("message/rfc822", "From: someone\nSubject: no address\n\nhello", 422, "From address")]
    [InlineData("message/rfc822", "From: a@b.no\nAuto-Submitted: auto-replied\nSubject: Out of office\n\nAway", 422, "Auto-Submitted")]
    [InlineData("message/rfc822", "From: care@shop.example\nSubject: loop\n\nhello", 422, "care mailbox")]
    public async Task A_bad_mail_answers_4xx_with_the_reason_and_stores_nothing(string contentType, string body, int status, string reason)
    {
        await using var app = await AppAsync();
        var client = app.CreateApiClient();
        var before = await app.CountRowsAsync();

        using var response = await client.PostMailAsync(Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n")), contentType);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(reason, (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task A_10_MB_mail_answers_413_and_a_mail_without_an_api_key_401()
    {
        await using var app = await AppAsync();
        var big = Encoding.ASCII.GetBytes(MailFixtures.Mail("big@example.no", text: new string('a', 10 * 1024 * 1024)));
        var before = await app.CountRowsAsync();

        using var tooLarge = await app.CreateApiClient().PostMailAsync(big);
        using var anonymous = await app.CreateClient().PostMailAsync(MailFixtures.Mail("anon@example.no"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most", (await Problem.ReadAsync(tooLarge)).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    private static async Task<long> StoreAsync(HttpClient client, string mail)
    {
        using var response = await client.PostMailAsync(mail);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["conversationId"]!.GetValue<long>();
    }

    private static List<byte[]> SplitMbox(byte[] raw)
    {
        var parser = new MimeParser(new MemoryStream(raw), MimeFormat.Mbox);
        var mails = new List<byte[]>();
        while (!parser.IsEndOfStream)
        {
            var message = parser.ParseMessage();
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            mails.Add(buffer.ToArray());
        }
        return mails;
    }
}

public sealed class SqliteEmailSpec : EmailSpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}

public sealed class PostgresEmailSpec(PostgresDatabase database) : EmailSpec, IClassFixture<PostgresDatabase>
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        database.CreateAppAsync(settings, time);
}
