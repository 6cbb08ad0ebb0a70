using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace MemberCare.Tests.Spikes;

/// <summary>
/// Varied, realistic message texts per concern for spike tests and the spike benchmark, read when they run (never
/// copied into the repository): the project's labelled care messages (data/triage, English and Norwegian), Bitext's
/// customer-support requests and the clothing reviews' and NoReC's sentences from ../shared/data when present. A message
/// is one to three sentences drawn from its concern's pool, so whole texts rarely repeat, as in real traffic, while
/// templated requests ("where is my order …") recur as they do.
/// </summary>
public sealed partial class CareTexts
{
    private static readonly Dictionary<string, string> s_bitext = new()
    {
        ["track_order"] = "where_is_my_order",
        ["delivery_period"] = "where_is_my_order",
        ["get_refund"] = "return_refund",
        ["track_refund"] = "return_refund",
        ["check_refund_policy"] = "return_refund",
        ["payment_issue"] = "payment_billing",
        ["check_invoice"] = "payment_billing",
        ["get_invoice"] = "payment_billing",
        ["registration_problems"] = "website_app",
        ["recover_password"] = "website_app",
        ["complaint"] = "service_complaint",
        ["cancel_order"] = "order_change",
        ["change_order"] = "order_change",
    };

    private static readonly string[] s_reviewConcerns = ["damaged_item", "product_quality", "sizing_fit", "wrong_or_missing_item", "not_as_described"];

    private readonly Dictionary<string, List<string>> _pools;

    private CareTexts(Dictionary<string, List<string>> pools) => _pools = pools;

    public int Sentences => _pools.Values.Sum(p => p.Count);

    /// <summary>Reads the corpora once; a corpus that is missing is left out (the repository's own labels always exist).</summary>
    public static CareTexts Load(int maxPerFile = 30_000)
    {
        var root = RepositoryRoot();
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        var pools = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string concern, string text)
        {
            foreach (var sentence in SentenceSplit().Split(text))
            {
                var s = sentence.Trim();
                if (s.Length >= 12)
                {
                    (pools.TryGetValue(concern, out var pool) ? pool : pools[concern] = []).Add(s);
                }
            }
        }
        foreach (var file in new[] { "care_messages_en.csv", "care_messages_no.csv" })
        {
            foreach (var row in Rows(Path.Combine(root, "data", "triage", file), maxPerFile))
            {
                if (row.TryGetValue("concern", out var concern) && concern.Length > 0)
                {
                    Add(concern, row["text"]);
                }
            }
        }
        foreach (var file in new[] { "bitext_6480.csv", "bitext_4514.csv" })
        {
            foreach (var row in Rows(Path.Combine(shared, file), maxPerFile))
            {
                if (s_bitext.TryGetValue(row.GetValueOrDefault("label") ?? "", out var concern))
                {
                    Add(concern, row["text"]);
                }
            }
        }
        var i = 0;
        foreach (var row in Rows(Path.Combine(shared, "womens_clothing_reviews_train.csv"), maxPerFile))
        {
            Add(s_reviewConcerns[i++ % s_reviewConcerns.Length], row["text"]);
        }
        foreach (var row in Rows(Path.Combine(shared, "norec_sentences_no.csv"), maxPerFile))
        {
            Add(s_reviewConcerns[i++ % s_reviewConcerns.Length], row["text"]);
        }
        return new CareTexts(pools);
    }

    /// <summary>A message about <paramref name="concern"/>: one to three sentences of its pool (any pool if it has none).</summary>
    public string Message(string concern, Random random)
    {
        var pool = _pools.TryGetValue(concern, out var p) ? p : _pools.Values.ElementAt(random.Next(_pools.Count));
        var count = 1 + random.Next(3);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => pool[random.Next(pool.Count)]));
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MemberCare.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("MemberCare.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<Dictionary<string, string>> Rows(string path, int max)
    {
        if (!File.Exists(path))
        {
            yield break;
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        for (var n = 0; n < max && csv.Read(); n++)
        {
            yield return header.ToDictionary(h => h, h => csv.GetField(h) ?? "", StringComparer.Ordinal);
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceSplit();
}
