using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MemberCare.Features.Triage.Training;

/// <summary>The labelled texts of the three models, drawn from the shared corpora and the project's own labels.</summary>
public sealed record TriageData(
    IReadOnlyList<LabelledText> Concern,
    IReadOnlyList<LabelledText> Sentiment,
    IReadOnlyList<LabelledText> Language)
{
    public IReadOnlyList<LabelledText> For(TriageTask task) => task switch
    {
        TriageTask.Concern => Concern,
        TriageTask.Sentiment => Sentiment,
        _ => Language,
    };
}

/// <summary>
/// Reads the corpora in the shared data folder and the project's labels (data/triage) into labelled texts.
/// A missing file is skipped and said so, which lets a small labels folder alone train working models.
/// </summary>
public sealed class TriageCorpora(string dataFolder, string labelsFolder, TextWriter log)
{
    public static readonly IReadOnlyList<string> Concerns =
    [
        "where_is_my_order", "wrong_or_missing_item", "damaged_item", "product_quality", "sizing_fit", "not_as_described",
        "style_feedback", "return_refund", "order_change", "payment_billing", "website_app", "account", "product_question",
        "service_complaint", "praise", "other",
    ];

    public static readonly IReadOnlyList<string> Sentiments = ["negative", "neutral", "positive"];

    public static readonly IReadOnlyList<string> Languages = ["en", "no", "sv", "da", "de", "fr", "es", "pt"];

    // Bitext is generated from templates: a few examples per concern teach its vocabulary without drowning real text.
    private const int BitextPerConcern = 100;
    private const int ClothingForLanguage = 2500;
    private const int NorecTrainForLanguage = 3000;
    private const int OlistForLanguage = 2000;
    private const int BitextForLanguage = 400;

    private static readonly Dictionary<string, string> s_bitextConcerns = new()
    {
        ["cancel_order"] = "order_change",
        ["change_order"] = "order_change",
        ["change_shipping_address"] = "order_change",
        ["set_up_shipping_address"] = "order_change",
        ["check_cancellation_fee"] = "order_change",
        ["track_order"] = "where_is_my_order",
        ["delivery_period"] = "where_is_my_order",
        ["delivery_options"] = "product_question",
        ["place_order"] = "product_question",
        ["check_invoice"] = "payment_billing",
        ["get_invoice"] = "payment_billing",
        ["check_payment_methods"] = "payment_billing",
        ["payment_issue"] = "payment_billing",
        ["check_refund_policy"] = "return_refund",
        ["get_refund"] = "return_refund",
        ["track_refund"] = "return_refund",
        ["complaint"] = "service_complaint",
        ["create_account"] = "account",
        ["delete_account"] = "account",
        ["edit_account"] = "account",
        ["recover_password"] = "account",
        ["registration_problems"] = "account",
        ["switch_account"] = "account",
        ["newsletter_subscription"] = "account",
        ["contact_customer_service"] = "other",
        ["contact_human_agent"] = "other",
        ["review"] = "other",
    };

    /// <summary>The corpus agents' corrections (corrections.csv) are read as.</summary>
    public const string CorrectionsCorpus = "agent-corrections";

    public TriageData Load()
    {
        var concern = new List<LabelledText>();
        var sentiment = new List<LabelledText>();
        var language = new List<LabelledText>();

        LoadClothingReviews(concern, sentiment, language);
        foreach (var (file, corpus) in new[]
        {
            ("care_messages_en.csv", "care-messages-en"),
            ("care_messages_no.csv", "care-messages-no"),
            ("care_messages_other.csv", "care-messages-other"),
            ("care_messages_da_sv.csv", "care-messages-da-sv"),
            ("language_sentences.csv", "language-sentences"),
            ("short_texts.csv", "short-texts"),
            ("corrections.csv", CorrectionsCorpus),
        })
        {
            // Agents' corrections only ever train: the held-out splits stay the same from one retrain to the next.
            LoadOwnMessages(Path.Combine(labelsFolder, file), corpus, concern, sentiment, language, corpus == CorrectionsCorpus ? false : null);
        }
        LoadBitext(concern, language);
        LoadNorec(sentiment, language);
        LoadOlist(sentiment, language);
        LoadTickets(language);

        return new TriageData(Distinct(concern), Distinct(sentiment), Distinct(language));
    }

    private void LoadClothingReviews(List<LabelledText> concern, List<LabelledText> sentiment, List<LabelledText> language)
    {
        var reviews = ReadRows(Path.Combine(dataFolder, "womens_clothing_reviews_train.csv"))
            .Where(r => !string.IsNullOrWhiteSpace(Field(r, "text")))
            .ToDictionary(r => Field(r, "row_id"), r => r);
        var labelled = ReadRows(Path.Combine(labelsFolder, "clothing_reviews_labels.csv")).ToList();
        var handLabelled = new HashSet<string>();
        var unmatched = 0;
        foreach (var label in labelled)
        {
            var rowId = Field(label, "row_id");
            if (!reviews.TryGetValue(rowId, out var review))
            {
                unmatched++;
                continue;
            }
            handLabelled.Add(rowId);
            var text = Field(review, "text");
            var key = "clothing:" + rowId;
            if (Concerns.Contains(Field(label, "concern")))
            {
                concern.Add(new LabelledText(text, Field(label, "concern"), "clothing-reviews", key, Real: true));
            }
            if (Sentiments.Contains(Field(label, "sentiment")))
            {
                sentiment.Add(new LabelledText(text, Field(label, "sentiment"), "clothing-reviews", key, Real: true));
            }
        }
        if (labelled.Count > 0 && unmatched > 0)
        {
            log.WriteLine($"  clothing_reviews_labels.csv: {unmatched} row ids not found in the clothing reviews (is --data right?)");
        }

        foreach (var (rowId, review) in reviews.Where(r => !handLabelled.Contains(r.Key)))
        {
            var stars = Field(review, "sentiment");
            if (Sentiments.Contains(stars))
            {
                sentiment.Add(new LabelledText(Field(review, "text"), stars, "clothing-reviews-stars", "clothing:" + rowId, Real: true));
            }
        }
        language.AddRange(SplitRule.Sample(
            reviews.Select(r => new LabelledText(Field(r.Value, "text"), "en", "clothing-reviews", "clothing:" + r.Key, Real: true)),
            ClothingForLanguage));
    }

    private void LoadOwnMessages(
        string path, string corpus, List<LabelledText> concern, List<LabelledText> sentiment, List<LabelledText> language, bool? presetTest)
    {
        foreach (var row in ReadRows(path))
        {
            var text = Field(row, "text").Trim();
            if (text.Length == 0)
            {
                continue;
            }
            var key = SplitRule.TextKey(text);
            if (Concerns.Contains(Field(row, "concern")))
            {
                concern.Add(new LabelledText(text, Field(row, "concern"), corpus, key, Real: true, presetTest));
            }
            if (Sentiments.Contains(Field(row, "sentiment")))
            {
                sentiment.Add(new LabelledText(text, Field(row, "sentiment"), corpus, key, Real: true, presetTest));
            }
            var lang = NormaliseLanguage(Field(row, "language"));
            if (Languages.Contains(lang))
            {
                language.Add(new LabelledText(text, lang, corpus, key, Real: true, presetTest));
            }
        }
    }

    private void LoadBitext(List<LabelledText> concern, List<LabelledText> language)
    {
        var rows = ReadRows(Path.Combine(dataFolder, "bitext_6480.csv"))
            .Concat(ReadRows(Path.Combine(dataFolder, "bitext_4514.csv")))
            .Where(r => s_bitextConcerns.ContainsKey(Field(r, "label")))
            .Select(r => new LabelledText(Field(r, "text").Trim(), Field(r, "label"), "bitext", SplitRule.TextKey(Field(r, "text")), Real: false))
            .DistinctBy(t => t.Key)
            .ToList();
        foreach (var byConcern in rows.GroupBy(r => s_bitextConcerns[r.Label]))
        {
            var intents = byConcern.GroupBy(r => r.Label).ToList();
            var perIntent = (BitextPerConcern + intents.Count - 1) / intents.Count;
            foreach (var intent in intents)
            {
                concern.AddRange(SplitRule.Sample(intent, perIntent).Select(t => t with { Label = byConcern.Key }));
            }
        }
        language.AddRange(SplitRule.Sample(rows, BitextForLanguage).Select(t => t with { Label = "en" }));
    }

    private void LoadNorec(List<LabelledText> sentiment, List<LabelledText> language)
    {
        var rows = ReadRows(Path.Combine(dataFolder, "norec_sentences_no.csv"))
            .Select(r => (Text: Field(r, "text").Trim(), Label: Field(r, "label").ToLowerInvariant(), Dev: Field(r, "split") == "dev", Id: Field(r, "sent_id")))
            .Where(r => r.Text.Length > 0)
            .ToList();
        sentiment.AddRange(rows
            .Where(r => Sentiments.Contains(r.Label))
            .Select(r => new LabelledText(r.Text, r.Label, "norec", "norec:" + r.Id, Real: true, PresetTest: r.Dev)));
        var asNorwegian = rows.Select(r => new LabelledText(r.Text, "no", "norec", "norec:" + r.Id, Real: true, PresetTest: r.Dev)).ToList();
        language.AddRange(SplitRule.Sample(asNorwegian.Where(r => r.PresetTest == false), NorecTrainForLanguage));
        language.AddRange(asNorwegian.Where(r => r.PresetTest == true));
    }

    private void LoadOlist(List<LabelledText> sentiment, List<LabelledText> language)
    {
        var rows = ReadRows(Path.Combine(dataFolder, "olist_reviews_pt.csv"))
            .Select(r => (Text: Field(r, "text").Trim(), Stars: Field(r, "label"), Id: Field(r, "review_id")))
            .Where(r => r.Text.Length > 0)
            .ToList();
        foreach (var (text, stars, id) in rows)
        {
            var label = stars switch
            {
                "1" or "2" => "negative",
                "3" => "neutral",
                "4" or "5" => "positive",
                _ => null,
            };
            if (label is not null)
            {
                sentiment.Add(new LabelledText(text, label, "olist", "olist:" + id, Real: true));
            }
        }
        language.AddRange(SplitRule.Sample(
            rows.Select(r => new LabelledText(r.Text, "pt", "olist", "olist:" + r.Id, Real: true)), OlistForLanguage));
    }

    private void LoadTickets(List<LabelledText> language)
    {
        foreach (var row in ReadRows(Path.Combine(dataFolder, "tickets_multilang.csv")))
        {
            var text = Field(row, "text").Trim();
            var lang = NormaliseLanguage(Field(row, "language"));
            if (text.Length > 0 && Languages.Contains(lang))
            {
                language.Add(new LabelledText(text, lang, "tickets", SplitRule.TextKey(text), Real: false));
            }
        }
    }

    private static string NormaliseLanguage(string language) => language.Trim().ToLowerInvariant() switch
    {
        "nb" or "nn" or "nob" or "nno" or "nor" or "norwegian" => "no",
        var other => other,
    };

    private static List<LabelledText> Distinct(List<LabelledText> items) =>
        [.. items.DistinctBy(i => (i.Corpus, i.Key))];

    private static string Field(Dictionary<string, string> row, string name) =>
        row.TryGetValue(name, out var value) ? value.Trim() : "";

    private IEnumerable<Dictionary<string, string>> ReadRows(string path)
    {
        if (!File.Exists(path))
        {
            log.WriteLine($"  (no {path}: skipped)");
            yield break;
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        });
        if (!csv.Read())
        {
            yield break;
        }
        csv.ReadHeader();
        var headers = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>(headers.Length);
            for (var i = 0; i < headers.Length; i++)
            {
                row[headers[i]] = csv.GetField(i) ?? "";
            }
            yield return row;
        }
    }
}
