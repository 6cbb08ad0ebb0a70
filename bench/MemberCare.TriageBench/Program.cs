using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using MemberCare.Features.Triage;
using MemberCare.Tests.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Data;

// Whole-triage speed on one thread: model load, throughput, single-message latency, and where the time goes.
// dotnet run -c Release --project bench/MemberCare.TriageBench [-- --models <folder>] [--data <folder>] [--seconds 5]
var repo = FindRepo();
var data = Option("--data") ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "data"));
var seconds = double.Parse(Option("--seconds") ?? "5", CultureInfo.InvariantCulture);
var folder = Option("--models") ?? Path.Combine(repo, "src", "MemberCare", "Features", "Triage", "Models");

Console.WriteLine($"MemberCare triage bench · {Environment.ProcessorCount} cores visible, measured on 1 thread · .NET {Environment.Version}");
if (!File.Exists(Path.Combine(folder, TriageModelFiles.Concern)))
{
    folder = Path.Combine(Path.GetTempPath(), "membercare-bench-models");
    var trained = Stopwatch.StartNew();
    TrainStandIn(repo, data, folder);
    Console.WriteLine($"No product models in the build: trained stand-in models (FeaturizeText + L-BFGS maximum entropy on the corpora) in {trained.Elapsed.TotalSeconds:F1} s");
}
Console.WriteLine($"models: {folder}");

var texts = MixedTexts(repo, data);
Console.WriteLine($"texts: {texts.Length} (care messages, clothing reviews, Norwegian review sentences, multilingual tickets, Portuguese reviews, short replies); mean {texts.Average(t => t.Length):F0} chars");

var cold = Stopwatch.StartNew();
var set = TriageModelSet.Load(folder);
cold.Stop();
var warm = Stopwatch.StartNew();
TriageModelSet.Load(folder);
warm.Stop();
Console.WriteLine($"model load: {cold.Elapsed.TotalMilliseconds:F0} ms first in the process, {warm.Elapsed.TotalMilliseconds:F0} ms again (all three models, checked with one prediction each)");

var models = new TriageModels(Options.Create(new TriageOptions { ModelsFolder = folder }), NullLogger<TriageModels>.Instance);
models.Swap(set);
var engine = new TriageEngine(models);
for (var i = 0; i < 5_000; i++)
{
    engine.Triage(texts[i % texts.Length]);
}

var count = 0L;
var run = Stopwatch.StartNew();
while (run.Elapsed.TotalSeconds < seconds)
{
    for (var i = 0; i < 1_000; i++)
    {
        engine.Triage(texts[(count + i) % texts.Length]);
    }
    count += 1_000;
}
run.Stop();
var throughput = count / run.Elapsed.TotalSeconds;
Console.WriteLine($"throughput: {throughput:F0} messages/s on one thread (whole triage: three models, urgency, entities, department)");

var samples = Math.Min(50_000, Math.Max(texts.Length, (int)throughput * 2));
var latencies = new double[samples];
int slow = 0, slowWithGc = 0;
var collections = GC.CollectionCount(0);
var paused = GC.GetTotalPauseDuration();
for (var i = 0; i < samples; i++)
{
    var gcBefore = GC.CollectionCount(0);
    var started = Stopwatch.GetTimestamp();
    engine.Triage(texts[i % texts.Length]);
    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    if (latencies[i] > 1_000)
    {
        slow++;
        slowWithGc += GC.CollectionCount(0) > gcBefore ? 1 : 0;
    }
}
var gcs = GC.CollectionCount(0) - collections;
var pause = GC.GetTotalPauseDuration() - paused;
Array.Sort(latencies);
Console.WriteLine($"latency: p50 {Percentile(latencies, 0.50):F0} µs, p90 {Percentile(latencies, 0.90):F0} µs, p99 {Percentile(latencies, 0.99):F0} µs, max {latencies[^1]:F0} µs over {samples} messages");
Console.WriteLine($"  {slow} calls over 1 ms, {slowWithGc} of them with a garbage collection inside; {gcs} collections, {pause.TotalMilliseconds:F0} ms paused, {GC.GetTotalAllocatedBytes() / (double)(count + samples + 5_000) / 1024:F0} KB allocated per message");

Console.WriteLine("where the time goes (mean per message):");
Measure("  concern model", t => set.Concern.Predict(t));
Measure("  sentiment model", t => set.Sentiment.Predict(t));
Measure("  language model", t => set.Language.Predict(t));
Measure("  entities", t => EntityFinder.Find(t, "en"));
Measure("  urgency rules", t => UrgencyRules.Assess(t, "where_is_my_order", "negative", TriageContext.None));
foreach (var file in new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language })
{
    SplitFeaturization(Path.Combine(folder, file));
}
return 0;

void Measure(string name, Action<string> work)
{
    var n = Math.Min(texts.Length * 2, 20_000);
    for (var i = 0; i < 1_000; i++)
    {
        work(texts[i % texts.Length]);
    }
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < n; i++)
    {
        work(texts[i % texts.Length]);
    }
    Console.WriteLine($"{name,-20} {Stopwatch.GetElapsedTime(started).TotalMicroseconds / n,8:F1} µs");
}

// The text featurizer and the classifier of one model, timed apart: which of them a faster path must replace.
void SplitFeaturization(string path)
{
    var ml = new MLContext(seed: 0);
    var model = ml.Model.Load(path, out _);
    if (model is not TransformerChain<ITransformer> chain)
    {
        Console.WriteLine($"  {Path.GetFileName(path)}: not a transformer chain; no split");
        return;
    }
    var parts = chain.ToList();
    var predictor = parts.FindIndex(t => t.GetType().Name.Contains("PredictionTransformer", StringComparison.Ordinal));
    var featureColumn = predictor < 0 ? null : parts[predictor].GetType().GetProperty("FeatureColumnName")?.GetValue(parts[predictor]) as string;
    if (featureColumn is null)
    {
        Console.WriteLine($"  {Path.GetFileName(path)}: no predictor found in the chain; no split");
        return;
    }
    var featurizer = new TransformerChain<ITransformer>([.. parts.Take(predictor)]);
    var output = SchemaDefinition.Create(typeof(FeatureRow));
    output[nameof(FeatureRow.Features)].ColumnName = featureColumn;
    var featuresOnly = ml.Model.CreatePredictionEngine<TextInput, FeatureRow>(featurizer, outputSchemaDefinition: output);
    var full = ml.Model.CreatePredictionEngine<TextInput, LabelPrediction>(model);
    var input = new TextInput();
    var row = new FeatureRow();
    var prediction = new LabelPrediction();
    var slots = 0;
    Measure($"  {Path.GetFileNameWithoutExtension(path)} featurize", t =>
    {
        input.Text = t;
        featuresOnly.Predict(input, ref row);
        slots = row.Features.Length;
    });
    Measure($"  {Path.GetFileNameWithoutExtension(path)} whole, no pool", t =>
    {
        input.Text = t;
        full.Predict(input, ref prediction);
    });
    Console.WriteLine($"  {Path.GetFileNameWithoutExtension(path)}: {parts.Count} transformers, {slots} feature slots, {prediction.Score.Length} classes");
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static string? Option(string name)
{
    var args = Environment.GetCommandLineArgs();
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Run the bench from inside the repository.");
}

static List<Dictionary<string, string>> ReadCsv(string path, int max)
{
    using var reader = new StreamReader(path);
    using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
    var rows = new List<Dictionary<string, string>>();
    csv.Read();
    csv.ReadHeader();
    var header = csv.HeaderRecord!;
    while (rows.Count < max && csv.Read())
    {
        rows.Add(header.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
    }
    return rows;
}

static string[] MixedTexts(string repo, string data)
{
    var texts = new List<string>();
    texts.AddRange(ReadCsv(Path.Combine(repo, "data", "triage", "care_messages_en.csv"), 5_000).Select(r => r["text"]));
    texts.AddRange(ReadCsv(Path.Combine(data, "womens_clothing_reviews_train.csv"), 1_500).Select(r => r["text"]));
    texts.AddRange(ReadCsv(Path.Combine(data, "norec_sentences_no.csv"), 800).Select(r => r["text"]));
    texts.AddRange(ReadCsv(Path.Combine(data, "tickets_multilang.csv"), 300).Select(r => r["text"]));
    texts.AddRange(ReadCsv(Path.Combine(data, "olist_reviews_pt.csv"), 300).Select(r => r["text"]));
    texts.AddRange(Enumerable.Repeat<string[]>(["ok", "thanks!", "👍", "any news?", "Takk!", "order #10234?"], 30).SelectMany(t => t));
    var random = new Random(4);
    return [.. texts.Where(t => !string.IsNullOrWhiteSpace(t)).OrderBy(_ => random.Next())];
}

static void TrainStandIn(string repo, string data, string folder)
{
    var care = ReadCsv(Path.Combine(repo, "data", "triage", "care_messages_en.csv"), 5_000);
    var norec = ReadCsv(Path.Combine(data, "norec_sentences_no.csv"), 3_000);
    var reviews = ReadCsv(Path.Combine(data, "womens_clothing_reviews_train.csv"), 2_000);
    var tickets = ReadCsv(Path.Combine(data, "tickets_multilang.csv"), 2_000);
    var olist = ReadCsv(Path.Combine(data, "olist_reviews_pt.csv"), 1_000);
    SmallModelTrainer.Train(
        care.Select(r => (r["text"], r["concern"])),
        care.Select(r => (r["text"], r["sentiment"]))
            .Concat(norec.Select(r => (r["text"], r["label"].ToLowerInvariant())))
            .Concat(reviews.Select(r => (r["text"], r["sentiment"]))),
        care.Select(r => (r["text"], "en"))
            .Concat(norec.Select(r => (r["text"], "nb")))
            .Concat(tickets.Select(r => (r["text"], r["language"])))
            .Concat(olist.Select(r => (r["text"], "pt"))),
        folder,
        "stand-in");
}

internal sealed class FeatureRow
{
    public VBuffer<float> Features { get; set; }
}
