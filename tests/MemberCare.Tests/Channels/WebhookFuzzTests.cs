using System.Globalization;
using System.Text;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Channels;

/// <summary>
/// Correctly signed but mutated payloads (byte flips, truncations, type swaps, spliced spans) must never make an
/// endpoint fail with 5xx. MEMBERCARE_FUZZ_COUNT sets how many per endpoint (default 2,000).
/// </summary>
public sealed class WebhookFuzzTests
{
    private static readonly string[] s_swaps = ["0", "-1", "1e309", "99999999999999999999", "\"\"", "\"x\"", "null", "true", "[]", "{}", "[[[[]]]]", "\"\\ud800\""];

    public static TheoryData<string> Endpoints => new() { "meta", "x", "shopify" };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Thousands_of_mutated_signed_payloads_never_get_a_5xx(string endpoint)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("MEMBERCARE_FUZZ_COUNT"), CultureInfo.InvariantCulture, out var n) ? n : 2000;
        string[] seeds = endpoint switch
        {
            "meta" => ["meta_messenger_messages_text.webhook.json", "instagram_comments.webhook.json", "instagram_comments_reply.webhook.json", "facebook_page_feed_comment.webhook.json"],
            "x" => ["x_aaa_tweet_create_events_longform.json", "x_aaa_direct_message_events.json", "x_aaa_tweet_delete_events.json"],
            _ => ["shopify_orders_sample.json"],
        };
        var bodies = seeds.Select(WebhookFixtures.Bytes).ToArray();
        await using var app = TestApp.Sqlite(WebhookFixtures.Settings);
        var client = app.CreateClient();
        var random = new Random(6006 + endpoint.Length);
        var mutants = Enumerable.Range(0, count).Select(i => Mutate(bodies[i % bodies.Length], random)).ToArray();
        string[] topics = ["orders/create", "orders/updated", "customers/create", "refunds/create"];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, token) =>
        {
            var body = mutants[i];
            using var response = endpoint switch
            {
                "meta" => await client.PostMetaAsync(body),
                "x" => await client.PostXAsync(body),
                _ => await client.PostShopifyAsync(body, topics[i % topics.Length], "fuzz-" + i.ToString(CultureInfo.InvariantCulture)),
            };
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 300)]} -> {await response.Content.ReadAsStringAsync(token)}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} answered 5xx; first: {failures.FirstOrDefault()}");
        Assert.True(statuses.Keys.All(s => s is 200 or 400), "Statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}x{s.Value}")));
        TestContext.Current.SendDiagnosticMessage($"{endpoint}: {count} mutants, " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}")));
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var rounds = random.Next(1, 4);
        for (var r = 0; r < rounds && bytes.Length > 1; r++)
        {
            switch (random.Next(5))
            {
                case 0:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 2:
                    bytes = SwapValue(bytes, random);
                    break;
                case 3:
                    var from = random.Next(bytes.Length);
                    var length = random.Next(Math.Min(64, bytes.Length - from) + 1);
                    bytes = [.. bytes[..from], .. bytes[(from + length)..]];
                    break;
                default:
                    var at = random.Next(bytes.Length);
                    var span = bytes[random.Next(bytes.Length)..];
                    bytes = [.. bytes[..at], .. span[..Math.Min(span.Length, 80)], .. bytes[at..]];
                    break;
            }
        }
        return bytes;
    }

    /// <summary>Replaces the value after a random "key": with a value of another type.</summary>
    private static byte[] SwapValue(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToArray();
        if (colons.Length == 0)
        {
            return bytes;
        }
        var start = colons[random.Next(colons.Length)] + 1;
        var end = start;
        while (end < text.Length && text[end] is not (',' or '}' or ']' or '\n'))
        {
            end++;
        }
        return Encoding.UTF8.GetBytes(text[..start] + " " + s_swaps[random.Next(s_swaps.Length)] + text[end..]);
    }
}
