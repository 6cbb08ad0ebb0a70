using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CsvHelper;
using MemberCare.Features.Triage;
using MemberCare.Features.Triage.Training;
using MemberCare.Tests.Triage;
using MemberCare.TriageBench;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Whole-triage speed on one thread: model load, throughput, single-message latency in CPU and wall time, where the
// time goes, `membercare triage` on 10,000 lines (the real executable), and the scikit-learn baseline on the same texts.
// dotnet run -c Release --project bench/MemberCare.TriageBench [-- --models <folder>] [--data <folder>] [--seconds 10]
//   [--write-texts <csv>] [--write-results <file>] [--no-cli] [--no-baseline] [--baseline-cache <folder>]
var repo = FindRepo();
var data = Option("--data") ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "data"));
var seconds = double.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture);
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

var textsOut = Option("--write-texts");
if (textsOut is not null)
{
    WriteTexts(textsOut);
    Console.WriteLine($"texts written to {textsOut} (cut to the {TriageEngine.MaxModelChars} characters the models read), for bench/triage_baseline.py --time-texts");
}

var resultsOut = Option("--write-results");
if (resultsOut is not null)
{
    // Every text's whole triage, confidences to the last bit: two builds' files are equal when a change kept the results.
    var written = TriageModelSet.Load(folder);
    var writtenModels = new TriageModels(Options.Create(new TriageOptions { ModelsFolder = folder }), NullLogger<TriageModels>.Instance);
    writtenModels.Swap(written);
    var writtenEngine = new TriageEngine(writtenModels);
    using var results = new StreamWriter(resultsOut);
    foreach (var text in texts)
    {
        var r = writtenEngine.Triage(text)!;
        results.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Concern}|{r.Confidence:R}|{r.Sentiment}|{r.Language}|{r.Urgency}|{r.Department}|{r.Entities.ToJson()}"));
    }
    Console.WriteLine($"results of {texts.Length} texts written to {resultsOut}");
}

var cold = Stopwatch.StartNew();
var set = TriageModelSet.Load(folder);
cold.Stop();
var loads = new double[5];
var loadCpu = new double[5];
for (var i = 0; i < loads.Length; i++)
{
    var cpuAtLoad = ThreadClock.Seconds();
    loads[i] = TriageModelSet.Load(folder).LoadTime.TotalMilliseconds;
    loadCpu[i] = (ThreadClock.Seconds() - cpuAtLoad) * 1_000;
}
Array.Sort(loads);
Array.Sort(loadCpu);
Console.WriteLine($"model load: {cold.Elapsed.TotalMilliseconds:F0} ms first in the process, median {loads[loads.Length / 2]:F0} ms wall and {loadCpu[loadCpu.Length / 2]:F0} ms CPU of {loads.Length} more (all three models, the fast path built and checked against ML.NET)");
Console.WriteLine($"fast path {set.FastPath}");
if (set.Fast is { } built)
{
    Console.WriteLine($"  {built.Describe()}");
}

var models = new TriageModels(Options.Create(new TriageOptions { ModelsFolder = folder }), NullLogger<TriageModels>.Instance);
models.Swap(set);
var engine = new TriageEngine(models);
for (var i = 0; i < 20_000; i++)
{
    engine.Triage(texts[i % texts.Length]);
}

// Rounds rather than one long run: on a shared machine the load changes within seconds, and the rounds show the spread.
const int Rounds = 10;
var roundRates = new double[Rounds];
long count = 0;
double cpu = 0, wall = 0;
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var gcBefore = GC.CollectionCount(0);
for (var round = 0; round < Rounds; round++)
{
    var roundCount = 0L;
    var cpuStarted = ThreadClock.Seconds();
    var started = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(started).TotalSeconds < seconds / Rounds)
    {
        for (var i = 0; i < 500; i++)
        {
            engine.Triage(texts[(count + roundCount + i) % texts.Length]);
        }
        roundCount += 500;
    }
    var roundCpu = ThreadClock.Seconds() - cpuStarted;
    wall += Stopwatch.GetElapsedTime(started).TotalSeconds;
    cpu += roundCpu;
    count += roundCount;
    roundRates[round] = roundCount / roundCpu;
}
var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
Array.Sort(roundRates);
Console.WriteLine($"throughput, one thread, whole triage (three models, urgency, entities, department), {count} messages in {Rounds} rounds:");
Console.WriteLine($"  {count / cpu:F0} messages per CPU-second of the bench thread (rounds: median {roundRates[Rounds / 2]:F0}, best {roundRates[^1]:F0}, worst {roundRates[0]:F0})");
Console.WriteLine($"  {count / wall:F0} messages/s of wall time ({cpu / wall:P0} of a core was ours); {allocated:F0} bytes allocated per message, {GC.CollectionCount(0) - gcBefore} gen-0 collections");

var samples = Math.Max(texts.Length * 4, 20_000);
var wallLatency = new double[samples];
var cpuLatency = new double[samples];
var clockCost = ClockCost();
for (var i = 0; i < samples; i++)
{
    var text = texts[i % texts.Length];
    var started = Stopwatch.GetTimestamp();
    var cpuStarted = ThreadClock.Nanoseconds();
    engine.Triage(text);
    cpuLatency[i] = ((ThreadClock.Nanoseconds() - cpuStarted) / 1e3) - clockCost;
    wallLatency[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
}
Array.Sort(wallLatency);
Array.Sort(cpuLatency);
Console.WriteLine($"single-message latency over {samples} messages (each text {samples / texts.Length} times), µs:");
Console.WriteLine($"  CPU   p50 {Percentile(cpuLatency, 0.50),6:F1}  p90 {Percentile(cpuLatency, 0.90),6:F1}  p99 {Percentile(cpuLatency, 0.99),6:F1}  max {cpuLatency[^1],8:F1}  (the thread clock's own {clockCost:F2} µs taken off)");
Console.WriteLine($"  wall  p50 {Percentile(wallLatency, 0.50),6:F1}  p90 {Percentile(wallLatency, 0.90),6:F1}  p99 {Percentile(wallLatency, 0.99),6:F1}  max {wallLatency[^1],8:F1}  ({wallLatency.Count(l => l > 1_000)} over 1 ms)");

Console.WriteLine("where the time goes (mean per message):");
if (set.Fast is { } fast)
{
    Measure("  fast path, 3 heads", t => fast.Score(t.AsSpan(0, Math.Min(t.Length, TriageEngine.MaxModelChars)), true));
}
Measure("  entities", t => EntityFinder.Find(t, "en"));
Measure("    order numbers", t => EntityFinder.OrderNumbers(t));
Measure("    SKUs", t => EntityFinder.Skus(t));
Measure("    sizes", t => EntityFinder.Sizes(t));
Measure("    colours", t => EntityFinder.Colours(t, "en"));
Measure("  urgency rules", t => UrgencyRules.Assess(t, "where_is_my_order", "negative", TriageContext.None));
Measure("  ML.NET, 3 heads", t =>
{
    var cut = t.Length <= TriageEngine.MaxModelChars ? t : t[..TriageEngine.MaxModelChars];
    set.Concern.Predict(cut);
    set.Sentiment.Predict(cut);
    set.Language.Predict(cut);
}, 2_000);

if (!Flag("--no-cli"))
{
    TimeCommandLine();
}
if (!Flag("--no-baseline"))
{
    TimeBaseline();
}
return 0;

// `membercare triage` as a user runs it: a new process, the models loaded and checked, 10,000 JSON lines through a pipe.
void TimeCommandLine()
{
    var executable = typeof(ThreadClock).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MemberCare.Executable").Value!;
    if (!File.Exists(executable))
    {
        Console.WriteLine($"membercare triage: not timed, {executable} is not built");
        return;
    }
    const int Lines = 10_000;
    var input = new StringBuilder();
    for (var i = 0; i < Lines; i++)
    {
        input.Append(JsonSerializer.Serialize(new { id = $"m{i}", text = texts[i % texts.Length] })).Append('\n');
    }
    var start = new ProcessStartInfo(executable, ["triage", $"--Triage:ModelsFolder={folder}"])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = Encoding.UTF8,
    };
    var childCpu = ThreadClock.ChildrenSeconds();
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var errors = process.StandardError.ReadToEndAsync();
    var feed = Task.Run(async () =>
    {
        await using var stdin = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false));
        await stdin.WriteAsync(input);
    });
    var answers = new List<string>(Lines);
    while (process.StandardOutput.ReadLine() is { } line)
    {
        answers.Add(line);
    }
    process.WaitForExit();
    clock.Stop();
    feed.GetAwaiter().GetResult();
    var used = ThreadClock.ChildrenSeconds() - childCpu;
    // The contract: one answer per line, in order, each the in-process engine's answer for that text.
    var agree = 0;
    for (var i = 0; i < Math.Min(Lines, answers.Count); i++)
    {
        using var answer = JsonDocument.Parse(answers[i]);
        var expected = engine.Triage(texts[i % texts.Length])!;
        var root = answer.RootElement;
        agree += root.GetProperty("id").GetString() == $"m{i}"
            && root.GetProperty("concern").GetString() == expected.Concern
            && root.GetProperty("sentiment").GetString() == expected.Sentiment
            && root.GetProperty("language").GetString() == expected.Language
            && root.GetProperty("urgency").GetString() == expected.Urgency.ToKey() ? 1 : 0;
    }
    Console.WriteLine($"membercare triage, {Lines} lines through a pipe (process start, model load and check included): {clock.Elapsed.TotalSeconds:F2} s wall, {used:F2} s CPU (user + system), exit code {process.ExitCode}");
    Console.WriteLine($"  {answers.Count} answers, {agree} in order and equal to the in-process engine's{(errors.GetAwaiter().GetResult() is { Length: > 0 } stderr ? "; stderr: " + stderr.Trim() : "")}");
}

// The yardstick: scikit-learn TF-IDF + logistic regression (bench/triage_baseline.py), trained on the same training
// splits as ours and timed on the same texts, one text at a time and in one batch.
void TimeBaseline()
{
    const string Python = "/usr/bin/python3";
    var script = Path.Combine(repo, "bench", "triage_baseline.py");
    if (!File.Exists(Python))
    {
        Console.WriteLine("scikit-learn baseline: not timed, /usr/bin/python3 is missing (apt-get install -y python3-sklearn)");
        return;
    }
    var work = Path.Combine(Path.GetTempPath(), "membercare-triage-bench");
    var splits = Path.Combine(work, "splits");
    var textsCsv = Path.Combine(work, "texts.csv");
    Directory.CreateDirectory(work);
    var corpora = new TriageCorpora(data, Path.Combine(repo, "data", "triage"), TextWriter.Null).Load();
    foreach (var task in Enum.GetValues<TriageTask>())
    {
        TriageTraining.ExportSplit(TriageDatasets.Build(task, corpora.For(task), TriageRecipes.Chosen(task)), splits);
    }
    WriteTexts(textsCsv);
    var cache = Option("--baseline-cache") ?? Path.Combine(work, "fitted");
    var start = new ProcessStartInfo(Python, [script, splits, "--speed-only", "--cache", cache, "--time-texts", textsCsv])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    Console.WriteLine($"scikit-learn baseline (same training splits, same texts; fitted models cached in {cache}):");
    using var process = Process.Start(start)!;
    var errors = process.StandardError.ReadToEndAsync();
    while (process.StandardOutput.ReadLine() is { } line)
    {
        Console.WriteLine("  " + line);
    }
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        Console.WriteLine($"  failed with exit code {process.ExitCode}: {errors.GetAwaiter().GetResult().Trim()}");
    }
}

void WriteTexts(string path)
{
    using var writer = new StreamWriter(path);
    using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
    csv.WriteField("text");
    csv.NextRecord();
    foreach (var text in texts)
    {
        csv.WriteField(text.Length <= TriageEngine.MaxModelChars ? text : text[..TriageEngine.MaxModelChars]);
        csv.NextRecord();
    }
}

void Measure(string name, Action<string> work, int most = 20_000)
{
    var n = Math.Min(texts.Length * 2, most);
    for (var i = 0; i < 1_000; i++)
    {
        work(texts[i % texts.Length]);
    }
    var cpuStarted = ThreadClock.Seconds();
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < n; i++)
    {
        work(texts[i % texts.Length]);
    }
    var wallTime = Stopwatch.GetElapsedTime(started).TotalMicroseconds / n;
    Console.WriteLine($"{name,-20} {wallTime,8:F1} µs wall, {(ThreadClock.Seconds() - cpuStarted) * 1e6 / n,8:F1} µs CPU");
}

// What reading the thread clock twice costs, so that it is not counted as the triage's.
static double ClockCost()
{
    var costs = new double[1_000];
    for (var i = 0; i < costs.Length; i++)
    {
        var before = ThreadClock.Nanoseconds();
        costs[i] = (ThreadClock.Nanoseconds() - before) / 1e3;
    }
    Array.Sort(costs);
    return costs[costs.Length / 2];
}

static bool Flag(string name) => Environment.GetCommandLineArgs().Contains(name);

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
