using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Channels;

/// <summary>
/// The raw-MIME endpoint and the chat API fed mutated bodies (byte flips, truncations, type swaps, spliced spans):
/// never a 5xx, and the only statuses are the documented ones. MEMBERCARE_FUZZ_COUNT sets how many (default 2,000).
/// </summary>
public sealed class InboundFuzzTests
{
    [Fact]
    public async Task Thousands_of_mutated_mails_never_get_a_5xx()
    {
        MailFixtures.RequireFolder();
        var seeds = MailFixtures.Files().Where(f => !f.Contains(".mbox", StringComparison.Ordinal)).Select(File.ReadAllBytes)
            .Append(Encoding.UTF8.GetBytes(MailFixtures.Mail("seed@example.no", inReplyTo: "x@y", references: "<a@b> <c@d>").ReplaceLineEndings("\r\n")))
            .ToArray();
        await using var app = TestApp.Sqlite(MailFixtures.Settings);
        var client = app.CreateApiClient();

        var statuses = await FuzzAsync(seeds, 7007, (body, _) => client.PostMailAsync(body));

        Assert.True(statuses.Keys.All(s => s is 200 or 201 or 422), "Statuses: " + Describe(statuses));
    }

    [Fact]
    public async Task Thousands_of_mutated_chat_messages_never_get_a_5xx()
    {
        var settings = ChatAndReviewTests.ChatSettings;
        settings["Chat:PermitsPerMinute"] = "1000000";
        await using var app = TestApp.Sqlite(settings);
        var client = app.CreateClient();
        using var start = await client.PostAsJsonAsync("/api/v1/chat/sessions", new { key = ChatAndReviewTests.SiteKey }, TestContext.Current.CancellationToken);
        var token = (await start.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["token"]!.GetValue<string>();
        byte[][] seeds =
        [
            Encoding.UTF8.GetBytes($"{{\"key\":\"{ChatAndReviewTests.SiteKey}\",\"clientId\":\"c-1\",\"text\":\"Har dere kjolen i M?\",\"name\":\"Nora\",\"email\":\"nora@example.no\",\"website\":\"\"}}"),
            Encoding.UTF8.GetBytes($"{{\"key\":\"{ChatAndReviewTests.SiteKey}\",\"name\":\"Ola\",\"email\":\"ola@example.no\",\"subject\":\"Retur\",\"text\":\"Hvor er returlappen?\"}}"),
        ];

        var statuses = await FuzzAsync(seeds, 8008, (body, i) =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var path = i % 2 == 0 ? $"/api/v1/chat/{token}/messages" : "/api/v1/chat/contact";
            return client.PostAsync(path, content, TestContext.Current.CancellationToken);
        });

        Assert.True(statuses.Keys.All(s => s is 200 or 201 or 202 or 400 or 403), "Statuses: " + Describe(statuses));
    }

    private static async Task<Dictionary<int, int>> FuzzAsync(byte[][] seeds, int seed, Func<byte[], int, Task<HttpResponseMessage>> send)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("MEMBERCARE_FUZZ_COUNT"), CultureInfo.InvariantCulture, out var n) ? n : 2000;
        var random = new Random(seed);
        var mutants = Enumerable.Range(0, count).Select(i => WebhookFuzzTests.Mutate(seeds[i % seeds.Length], random)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, token) =>
        {
            using var response = await send(mutants[i], i);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(mutants[i])[..Math.Min(mutants[i].Length, 300)]} -> {await response.Content.ReadAsStringAsync(token)}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} answered 5xx; first: {failures.FirstOrDefault()}");
        TestContext.Current.SendDiagnosticMessage($"{count} mutants: {Describe(statuses)}");
        return new Dictionary<int, int>(statuses);
    }

    private static string Describe(IEnumerable<KeyValuePair<int, int>> statuses) => string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"));
}
