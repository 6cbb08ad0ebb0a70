using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MemberCare.Channels.Email;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace MemberCare.Tests.Channels;

/// <summary>The IMAP poller against a real Dovecot on loopback: mail appended with IMAP APPEND, taken in by the poller.</summary>
public sealed class ImapPollerTests(DovecotServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_poll_stores_each_mail_once_threaded_with_its_attachments_and_a_second_poll_takes_nothing()
    {
        MailFixtures.RequireFolder();
        var account = await server.CreateAccountAsync(Ct);
        var fixtures = FixtureMails();
        var t = Api.Unique("t");
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
        var thread = new[]
        {
            Mail(MailFixtures.Mail($"root.{t}@example.no", subject: "Order 10023 wrong size")),
            WithAttachment(Mail(MailFixtures.Mail($"reply.{t}@example.no", subject: "Re: Order 10023 wrong size", text: "Receipt attached.", inReplyTo: $"root.{t}@example.no")), "receipt.pdf", pdf),
            Mail(MailFixtures.Mail($"later.{t}@example.no", subject: "another subject", references: $"<root.{t}@example.no> <reply.{t}@example.no>")),
        };
        await AppendAsync(account, [.. fixtures.Select(f => f.Mail), .. thread]);
        await using var app = App(account);
        var poller = Poller(app);

        var handled = await poller.PollOnceAsync(Ct);

        var appended = fixtures.Count + thread.Length;
        Assert.Equal(appended, handled);
        await using var db = await app.OpenDbAsync();
        var imports = await db.ImapImports.AsNoTracking().Where(i => i.Mailbox.StartsWith(account.User)).OrderBy(i => i.Uid).ToListAsync(Ct);
        Assert.Equal(appended, imports.Count);
        Assert.All(imports, i => Assert.NotNull(i.DoneAt));
        var outcomes = imports.Zip([.. fixtures.Select(f => f.Name), "root", "reply", "later"], (i, name) => (Name: name, i.Outcome)).ToList();
        TestContext.Current.SendDiagnosticMessage(string.Join("; ", outcomes.Select(o => $"{o.Name}: {o.Outcome}")));
        Assert.StartsWith("rejected: The mail is an automated delivery", outcomes.Single(o => o.Name == "messages_bounce.txt").Outcome, StringComparison.Ordinal);
        Assert.StartsWith("duplicate:", outcomes.Single(o => o.Name == "messages_empty-multipart.txt").Outcome, StringComparison.Ordinal);

        // Each distinct Message-ID among the mails taken in is one stored message with one header row.
        var taken = fixtures.Zip(imports, (f, i) => (f.Mail, i.Outcome)).Where(x => !x.Outcome!.StartsWith("rejected", StringComparison.Ordinal))
            .Select(x => x.Mail.MessageId).Concat(thread.Select(m => m.MessageId)).ToList();
        Assert.All(taken, id => Assert.NotNull(id));
        var headers = await db.EmailHeaders.AsNoTracking().Where(h => !h.Outbound).ToListAsync(Ct);
        Assert.Equal(taken.Distinct().Order(StringComparer.Ordinal), headers.Select(h => h.MessageIdHeader).Order(StringComparer.Ordinal));
        Assert.Equal(headers.Count, await db.Messages.CountAsync(m => m.Channel == MemberCare.Domain.Channel.Email, Ct));

        var threadHeaders = headers.Where(h => h.MessageIdHeader.EndsWith($"{t}@example.no", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, threadHeaders.Count);
        Assert.All(threadHeaders, h => Assert.Equal($"root.{t}@example.no", h.ThreadKey));
        var conversationIds = await db.Messages.Where(m => threadHeaders.Select(h => h.MessageId).Contains(m.Id)).Select(m => m.ConversationId).Distinct().ToListAsync(Ct);
        var conversationId = Assert.Single(conversationIds);
        Assert.Equal(3, (await db.Conversations.SingleAsync(c => c.Id == conversationId, Ct)).MessageCount);

        var replyId = threadHeaders.Single(h => h.MessageIdHeader == $"reply.{t}@example.no").MessageId;
        var receipt = await db.EmailAttachments.AsNoTracking().SingleAsync(a => a.MessageId == replyId, Ct);
        Assert.Equal(("receipt.pdf", "application/pdf"), (receipt.FileName, receipt.ContentType));
        Assert.Equal(pdf, receipt.Content);
        var multipart = headers.Single(h => h.MessageIdHeader == fixtures.Single(f => f.Name == "messages_simple-multipart.eml").Mail.MessageId);
        Assert.True(await db.EmailAttachments.AnyAsync(a => a.MessageId == multipart.MessageId, Ct), "the multipart fixture's attachment was not kept");

        Assert.Equal(0, await poller.PollOnceAsync(Ct));
        Assert.Equal(headers.Count, await db.Messages.CountAsync(m => m.Channel == MemberCare.Domain.Channel.Email, Ct));
        Assert.Equal(appended, await db.ImapImports.CountAsync(Ct));
        Assert.Equal(0, await CountUnseenAsync(account));
    }

    [Fact]
    public async Task A_restarted_poller_on_the_same_database_skips_the_uids_it_took_in_even_when_they_are_unseen_again()
    {
        var account = await server.CreateAccountAsync(Ct);
        var data = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));
        var settings = account.Settings();
        settings["Database:DataFolder"] = data;
        var t = Api.Unique("t");
        try
        {
            await AppendAsync(account, [Mail(MailFixtures.Mail($"one.{t}@example.no")), Mail(MailFixtures.Mail($"two.{t}@example.no", subject: "Refund"))]);
            await using (var first = App(settings))
            {
                Assert.Equal(2, await Poller(first).PollOnceAsync(Ct));
            }

            // A mail client marking them unread, or a node that died between the import and the flag, leaves them unseen.
            await MarkAllUnseenAsync(account);
            await AppendAsync(account, [Mail(MailFixtures.Mail($"three.{t}@example.no", subject: "Exchange"))]);
            await using var second = App(settings);

            Assert.Equal(1, await Poller(second).PollOnceAsync(Ct));
            await using var db = await second.OpenDbAsync();
            Assert.Equal([$"one.{t}@example.no", $"three.{t}@example.no", $"two.{t}@example.no"],
                await db.EmailHeaders.Select(h => h.MessageIdHeader).Order().ToListAsync(Ct));
            Assert.Equal(3, await db.ImapImports.CountAsync(i => i.DoneAt != null && i.Outcome!.StartsWith("stored"), Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ExternalTool.TryDelete(data);
        }
    }

    [Fact]
    public async Task After_a_uidvalidity_change_the_mails_are_read_again_and_stored_mails_are_recognised_by_their_message_id()
    {
        var account = await server.CreateAccountAsync(Ct);
        var t = Api.Unique("t");
        await AppendAsync(account, [Mail(MailFixtures.Mail($"one.{t}@example.no")), Mail(MailFixtures.Mail($"two.{t}@example.no", subject: "Refund"))]);
        await using var app = App(account);
        var poller = Poller(app);
        Assert.Equal(2, await poller.PollOnceAsync(Ct));

        // A rebuilt index: new UIDVALIDITY, so the UIDs the ledger holds say nothing about the mails any more.
        await server.ChangeUidValidityAsync(account, "INBOX", 4242, Ct);
        await MarkAllUnseenAsync(account);
        await AppendAsync(account, [Mail(MailFixtures.Mail($"three.{t}@example.no", subject: "Exchange"))]);

        Assert.Equal(3, await poller.PollOnceAsync(Ct));
        await using var db = await app.OpenDbAsync();
        var renewed = await db.ImapImports.Where(i => i.UidValidity == 4242).OrderBy(i => i.Uid).Select(i => i.Outcome).ToListAsync(Ct);
        Assert.Equal(3, renewed.Count);
        Assert.StartsWith("duplicate:", renewed[0], StringComparison.Ordinal);
        Assert.StartsWith("duplicate:", renewed[1], StringComparison.Ordinal);
        Assert.StartsWith("stored:", renewed[2], StringComparison.Ordinal);
        Assert.Equal(3, await db.Messages.CountAsync(m => m.Channel == MemberCare.Domain.Channel.Email, Ct));
        Assert.Equal(0, await poller.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task A_wrong_password_shows_on_the_health_page_and_the_right_one_stored_as_a_channel_secret_lets_the_next_poll_in()
    {
        var account = await server.CreateAccountAsync(Ct);
        var t = Api.Unique("t");
        await AppendAsync(account, [Mail(MailFixtures.Mail($"one.{t}@example.no"))]);
        var settings = account.Settings(pollerEnabled: true);
        settings["Email:Imap:Password"] = "not-the-password";
        settings["Email:Imap:Interval"] = "00:00:00.500";
        await using var app = App(settings);
        var client = app.CreateApiClient();

        var email = await WaitForAsync(async () =>
        {
            var row = await EmailHealthAsync(client);
            return row["refusedDeliveries"]!.GetValue<long>() > 0 ? row : null;
        });

        Assert.Contains($"IMAP sign-in as {account.User} at 127.0.0.1 was refused", email["lastFailure"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var alive = await client.GetAsync("/health", Ct))
        {
            Assert.True(alive.IsSuccessStatusCode);
        }

        using var put = await client.PutAsJsonAsync("/api/v1/channels/secrets/Email:ImapPassword", new { value = account.Password }, Ct);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
        var stored = await WaitForAsync(async () =>
        {
            await using var db = await app.OpenDbAsync();
            return await db.EmailHeaders.AnyAsync(h => h.MessageIdHeader == $"one.{t}@example.no", Ct) ? "stored" : null;
        });
        Assert.Equal("stored", stored);
        var secrets = await client.GetStringAsync("/api/v1/channels/secrets", Ct);
        Assert.DoesNotContain(account.Password, secrets, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_over_the_size_limit_is_refused_unread_and_moved_like_the_others()
    {
        var account = await server.CreateAccountAsync(Ct);
        var t = Api.Unique("t");
        await CreateFolderAsync(account, "Processed");
        var big = MailFixtures.Mail($"big.{t}@example.no", text: new string('x', 40_000));
        await AppendAsync(account, [Mail(MailFixtures.Mail($"small.{t}@example.no")), Mail(big)]);
        var settings = account.Settings();
        settings["Email:MaxMessageBytes"] = "20000";
        settings["Email:Imap:MoveTo"] = "Processed";
        await using var app = App(settings);

        Assert.Equal(2, await Poller(app).PollOnceAsync(Ct));

        await using var db = await app.OpenDbAsync();
        var outcomes = await db.ImapImports.OrderBy(i => i.Uid).Select(i => i.Outcome!).ToListAsync(Ct);
        Assert.StartsWith("stored:", outcomes[0], StringComparison.Ordinal);
        Assert.Contains("over the limit of 20000", outcomes[1], StringComparison.Ordinal);
        Assert.False(await db.EmailHeaders.AnyAsync(h => h.MessageIdHeader == $"big.{t}@example.no", Ct));
        Assert.Equal((0, 2), (await CountAsync(account, "INBOX"), await CountAsync(account, "Processed")));
        var email = await EmailHealthAsync(app.CreateApiClient());
        Assert.Contains("over the limit", email["lastFailure"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static TestApp App(ImapAccount account) => App(account.Settings());

    private static TestApp App(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in MailFixtures.Settings)
        {
            settings.TryAdd(key, value);
        }
        return TestApp.Sqlite(settings);
    }

    private static ImapPoller Poller(TestApp app) => app.Services.GetServices<IHostedService>().OfType<ImapPoller>().Single();

    private static MimeMessage Mail(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));

    private static MimeMessage WithAttachment(MimeMessage mail, string fileName, byte[] content)
    {
        var builder = new BodyBuilder { TextBody = mail.TextBody };
        builder.Attachments.Add(fileName, content, ContentType.Parse("application/pdf"));
        mail.Body = builder.ToMessageBody();
        return mail;
    }

    /// <summary>
    /// Every fixture mail (the mbox split into its mails), named by its file. The multipart one goes first:
    /// messages_empty-multipart.txt carries the same Message-ID, so it is the one recognised as a duplicate.
    /// </summary>
    private static List<(string Name, MimeMessage Mail)> FixtureMails()
    {
        var mails = new List<(string, MimeMessage)>();
        foreach (var file in MailFixtures.Files().OrderBy(f => !f.EndsWith("messages_simple-multipart.eml", StringComparison.Ordinal)))
        {
            using var stream = File.OpenRead(file);
            var parser = new MimeParser(stream, file.Contains(".mbox", StringComparison.Ordinal) ? MimeFormat.Mbox : MimeFormat.Entity);
            do
            {
                var mail = parser.ParseMessage(Ct);
                // Mails without a Message-ID get one, so the test can name what it expects; the poller's fallback is tested on the endpoint.
                mail.MessageId ??= $"{Path.GetFileName(file)}.{mails.Count}@fixtures.test";
                mails.Add((Path.GetFileName(file), mail));
            }
            while (!parser.IsEndOfStream);
        }
        return mails;
    }

    private static async Task<ImapClient> ConnectAsync(ImapAccount account)
    {
        var client = new ImapClient();
        await client.ConnectAsync(account.Host, account.Port, SecureSocketOptions.None, Ct);
        await client.AuthenticateAsync(account.User, account.Password, Ct);
        return client;
    }

    private static async Task AppendAsync(ImapAccount account, IReadOnlyList<MimeMessage> mails)
    {
        using var client = await ConnectAsync(account);
        foreach (var mail in mails)
        {
            await client.Inbox.AppendAsync(new AppendRequest(mail), Ct);
        }
        await client.DisconnectAsync(quit: true, Ct);
    }

    private static async Task MarkAllUnseenAsync(ImapAccount account)
    {
        using var client = await ConnectAsync(account);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, Ct);
        var all = await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.All, Ct);
        await client.Inbox.RemoveFlagsAsync(all, MessageFlags.Seen, silent: true, Ct);
        await client.DisconnectAsync(quit: true, Ct);
    }

    private static async Task<int> CountUnseenAsync(ImapAccount account)
    {
        using var client = await ConnectAsync(account);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
        var unseen = await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.NotSeen, Ct);
        await client.DisconnectAsync(quit: true, Ct);
        return unseen.Count;
    }

    private static async Task<int> CountAsync(ImapAccount account, string folderName)
    {
        using var client = await ConnectAsync(account);
        var folder = await client.GetFolderAsync(folderName, Ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, Ct);
        var count = folder.Count;
        await client.DisconnectAsync(quit: true, Ct);
        return count;
    }

    private static async Task CreateFolderAsync(ImapAccount account, string name)
    {
        using var client = await ConnectAsync(account);
        var root = await client.GetFolderAsync(client.PersonalNamespaces[0].Path, Ct);
        await root.CreateAsync(name, isMessageFolder: true, Ct);
        await client.DisconnectAsync(quit: true, Ct);
    }

    private static async Task<JsonObject> EmailHealthAsync(HttpClient client)
    {
        var report = await client.GetFromJsonAsync<JsonObject>("/api/v1/channels/health", Ct);
        return report!["channels"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["channel"]!.GetValue<string>() == "email");
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("The poller did not get there within 15 s.");
    }
}
