using System.Net.Http.Headers;
using System.Text;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Channels;

/// <summary>The hard e-mail cases in ../shared/fixtures/email, and how tests write and post mails.</summary>
public static class MailFixtures
{
    public const string CareAddress = "care@shop.example";

    public static Dictionary<string, string?> Settings => new()
    {
        ["Email:Address"] = CareAddress,
        ["Email:MaxAttachmentBytes"] = "100000",
    };

    public static string? Folder { get; } = FindFolder();

    public static IEnumerable<string> Files() =>
        Folder is null ? [] : Directory.EnumerateFiles(Folder).Where(f => !Path.GetFileName(f).StartsWith("LICENSE", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public static async Task<HttpResponseMessage> PostMailAsync(this HttpClient client, byte[] raw, string contentType = "message/rfc822")
    {
        using var content = new ByteArrayContent(raw);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync("/api/v1/email/inbound", content, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PostMailAsync(this HttpClient client, string raw) => client.PostMailAsync(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));

    /// <summary>A plain mail with the threading headers a test names.</summary>
    public static string Mail(string messageId, string from = "nora.berg@example.no", string subject = "Wrong size", string text = "Hi, the dress came in the wrong size.",
        string? inReplyTo = null, string? references = null, string? extraHeaders = null)
    {
        var headers = new StringBuilder()
            .Append("From: Nora Berg <").Append(from).Append(">\n")
            .Append("To: ").Append(CareAddress).Append('\n')
            .Append("Subject: ").Append(subject).Append('\n')
            .Append("Date: Mon, 23 Nov 2026 09:00:00 +0100\n");
        if (messageId.Length > 0)
        {
            headers.Append("Message-ID: <").Append(messageId).Append(">\n");
        }
        if (inReplyTo is not null)
        {
            headers.Append("In-Reply-To: <").Append(inReplyTo).Append(">\n");
        }
        if (references is not null)
        {
            headers.Append("References: ").Append(references).Append('\n');
        }
        headers.Append(extraHeaders);
        return headers.Append("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n").Append(text).Append('\n').ToString();
    }

    private static string? FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "email"));
                return Directory.Exists(folder) ? folder : null;
            }
        }
        return null;
    }

    public static void RequireFolder()
    {
        if (Folder is null)
        {
            Assert.Skip("The shared e-mail fixtures (../shared/fixtures/email beside the repository) are not present.");
        }
    }

    public static Task<TestApp> SqliteAppAsync(IDictionary<string, string?>? extra = null)
    {
        var settings = Settings;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return Task.FromResult(TestApp.Sqlite(settings));
    }
}
