using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.ML;

namespace MemberCare.Features.Triage.Training;

/// <summary>Where training reads its labels and writes its models.</summary>
public sealed record TriagePaths(string Data, string Labels, string Models)
{
    /// <summary>The defaults: ../shared/data beside the repository, data/triage and the shipped models folder.</summary>
    public static TriagePaths Defaults()
    {
        var root = RepositoryRoot();
        return new TriagePaths(
            Path.GetFullPath(Path.Combine(root, "..", "shared", "data")),
            Path.Combine(root, "data", "triage"),
            Path.Combine(root, "src", "MemberCare", "Features", "Triage", "Models"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}

public sealed record CorpusScore(string Corpus, int Count, double MacroF1, double Accuracy, double? FiveWordsOrMoreAccuracy);

public sealed record ModelManifest(
    string File,
    long Bytes,
    string Recipe,
    IReadOnlyList<string> Labels,
    int TrainingSize,
    IReadOnlyDictionary<string, int> TrainingSizeByCorpus,
    IReadOnlyList<CorpusScore> Test);

public sealed record TriageManifest(string Version, int Seed, IReadOnlyDictionary<string, ModelManifest> Models);

/// <summary>
/// <c>membercare train</c> and <c>membercare evaluate</c>: builds the three datasets with the fixed split, trains
/// with a fixed seed, saves the models and their manifest, and measures every held-out corpus separately.
/// </summary>
public sealed class TriageTraining(TriagePaths paths, TextWriter output, int seed = TriageModelTrainer.DefaultSeed)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FileOf(TriageTask task) => task switch
    {
        TriageTask.Concern => TriageModelFiles.Concern,
        TriageTask.Sentiment => TriageModelFiles.Sentiment,
        _ => TriageModelFiles.Language,
    };

    public static string NameOf(TriageTask task) => task.ToString().ToLowerInvariant();

    public TriageData LoadData()
    {
        output.WriteLine($"Reading corpora from {paths.Data} and labels from {paths.Labels}");
        var data = new TriageCorpora(paths.Data, paths.Labels, output).Load();
        foreach (var task in Enum.GetValues<TriageTask>())
        {
            var items = data.For(task);
            output.WriteLine($"  {NameOf(task)}: {items.Count} labelled texts ({string.Join(", ", items.GroupBy(i => i.Corpus).Select(g => $"{g.Key} {g.Count()}"))})");
        }
        return data;
    }

    public TriageManifest Train(string? version, string? exportSplits)
    {
        var data = LoadData();
        Directory.CreateDirectory(paths.Models);
        var trainer = new TriageModelTrainer(seed);
        var models = new Dictionary<string, ModelManifest>();
        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var task in Enum.GetValues<TriageTask>())
        {
            var recipe = TriageRecipes.Chosen(task);
            var dataset = TriageDatasets.Build(task, data.For(task), recipe);
            var train = dataset.Train.ToList();
            if (train.Select(r => r.Label).Distinct().Count() < 2)
            {
                throw new InvalidOperationException($"The {NameOf(task)} model needs at least two labels to learn; found {train.Count} texts.");
            }
            fingerprint.AppendData(Encoding.UTF8.GetBytes(recipe.ToString()));
            foreach (var row in train)
            {
                fingerprint.AppendData(Encoding.UTF8.GetBytes($"{row.Text}\u0001{row.Label}\u0001{row.Weight:R}\u0002"));
            }
            if (exportSplits is not null)
            {
                ExportSplit(dataset, exportSplits);
            }

            output.WriteLine($"Training {NameOf(task)} on {train.Count} texts ({recipe})");
            var clock = Stopwatch.StartNew();
            var model = trainer.Fit(recipe, train);
            var path = Path.Combine(paths.Models, FileOf(task));
            trainer.Save(model, path);
            output.WriteLine($"  trained in {clock.Elapsed.TotalSeconds:0.0} s, {new FileInfo(path).Length / 1024.0 / 1024.0:0.00} MB");

            var reports = Evaluate(trainer, model, dataset);
            foreach (var report in reports)
            {
                output.WriteLine($"  {report.Corpus}: macro-F1 {report.MacroF1:0.000}, accuracy {report.Accuracy:0.000} on {report.Count} held-out texts");
            }
            models[NameOf(task)] = new ModelManifest(
                FileOf(task),
                new FileInfo(path).Length,
                recipe.ToString(),
                TriageModelTrainer.ScoreLabels(model, trainer.InputSchema),
                train.Count,
                train.GroupBy(r => r.Corpus).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                [.. reports.Select(Score)]);
        }
        var manifest = new TriageManifest(
            version ?? "sha256:" + Convert.ToHexStringLower(fingerprint.GetHashAndReset())[..16],
            seed,
            models);
        File.WriteAllText(Path.Combine(paths.Models, TriageModelFiles.Manifest), JsonSerializer.Serialize(manifest, Json) + "\n");
        output.WriteLine($"Models and {TriageModelFiles.Manifest} written to {paths.Models} (version {manifest.Version}), " +
            $"{models.Values.Sum(m => m.Bytes) / 1024.0 / 1024.0:0.00} MB together");
        return manifest;
    }

    public IReadOnlyList<ClassificationReport> Evaluate()
    {
        var data = LoadData();
        var trainer = new TriageModelTrainer(seed);
        var reports = new List<ClassificationReport>();
        foreach (var task in Enum.GetValues<TriageTask>())
        {
            var path = Path.Combine(paths.Models, FileOf(task));
            if (!File.Exists(path))
            {
                output.WriteLine($"No {NameOf(task)} model at {path}: skipped");
                continue;
            }
            var model = trainer.Load(path);
            var dataset = TriageDatasets.Build(task, data.For(task), TriageRecipes.Chosen(task));
            reports.AddRange(Evaluate(trainer, model, dataset));
            var texts = dataset.Test.Select(r => r.Text).Take(5000).ToList();
            if (texts.Count > 0)
            {
                var engine = trainer.Context.Model.CreatePredictionEngine<TextInput, LabelPrediction>(model);
                var input = new TextInput();
                var prediction = new LabelPrediction();
                var clock = Stopwatch.StartNew();
                foreach (var text in texts)
                {
                    input.Text = text;
                    engine.Predict(input, ref prediction);
                }
                output.WriteLine($"{NameOf(task)}: {texts.Count / clock.Elapsed.TotalSeconds:0} messages/s one at a time on {texts.Count} held-out texts (one thread, first call included)");
            }
        }
        return reports;
    }

    /// <summary>Cross-validates the candidate recipes on the training side only (3 folds by hash); the test side is never seen.</summary>
    public void Tune(IReadOnlyList<TriageTask> tasks, int folds = 3)
    {
        var data = LoadData();
        var trainer = new TriageModelTrainer(seed);
        foreach (var task in tasks)
        {
            foreach (var recipe in TriageRecipes.Candidates(task))
            {
                var clock = Stopwatch.StartNew();
                var train = TriageDatasets.Build(task, data.For(task), recipe).Train.ToList();
                var predictions = new List<(SplitText Row, string Predicted)>();
                for (var fold = 0; fold < folds; fold++)
                {
                    bool InFold(SplitText row) => (int)(SplitRule.Hash("fold:" + row.Item.Key) % (ulong)folds) == fold;
                    var model = trainer.Fit(recipe, train.Where(r => !InFold(r)));
                    var held = train.Where(InFold).ToList();
                    predictions.AddRange(held.Zip(trainer.Predict(model, held.Select(r => r.Text)), (r, p) => (r, p.Label)));
                }
                var reports = predictions
                    .GroupBy(p => p.Row.Corpus)
                    .Select(g => ClassificationReport.Of(NameOf(task), g.Key,
                        [.. g.Select(p => new ClassificationReport.Outcome(p.Row.Label, p.Predicted, p.Row.Item.WordCount))], []))
                    .OrderBy(r => r.Corpus, StringComparer.Ordinal)
                    .ToList();
                var real = reports.Where(r => data.For(task).First(i => i.Corpus == r.Corpus).Real).ToList();
                var summary = task == TriageTask.Language
                    ? real.Average(r => r.FiveWordsOrMoreAccuracy ?? r.Accuracy)
                    : real.Average(r => r.MacroF1);
                output.WriteLine($"{NameOf(task)} | {recipe.Name} | mean over real corpora {summary:0.000} | " +
                    string.Join(" ", reports.Select(r => $"{r.Corpus}={(task == TriageTask.Language ? r.FiveWordsOrMoreAccuracy ?? r.Accuracy : r.MacroF1):0.000}")) +
                    $" | {clock.Elapsed.TotalSeconds:0} s");
            }
        }
    }

    public static void WriteJson(IReadOnlyList<ClassificationReport> reports, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(reports, Json));

    private static CorpusScore Score(ClassificationReport r) => new(r.Corpus, r.Count, Math.Round(r.MacroF1, 4), Math.Round(r.Accuracy, 4),
        r.FiveWordsOrMoreAccuracy is { } five ? Math.Round(five, 4) : null);

    private static List<ClassificationReport> Evaluate(TriageModelTrainer trainer, ITransformer model, TaskDataset dataset)
    {
        var labels = TriageModelTrainer.ScoreLabels(model, trainer.InputSchema);
        var reports = new List<ClassificationReport>();
        foreach (var corpus in dataset.Test.GroupBy(r => r.Corpus))
        {
            var rows = corpus.ToList();
            var predictions = trainer.Predict(model, rows.Select(r => r.Text));
            reports.Add(ClassificationReport.Of(NameOf(dataset.Task), corpus.Key,
                [.. rows.Zip(predictions, (r, p) => new ClassificationReport.Outcome(r.Label, p.Label, r.Item.WordCount))], labels));
        }
        return reports;
    }

    public static void ExportSplit(TaskDataset dataset, string folder)
    {
        Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(Path.Combine(folder, NameOf(dataset.Task) + ".csv"), false, new UTF8Encoding(false));
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("text");
        csv.WriteField("label");
        csv.WriteField("corpus");
        csv.WriteField("split");
        csv.WriteField("weight");
        csv.WriteField("words");
        csv.NextRecord();
        foreach (var row in dataset.Rows)
        {
            csv.WriteField(row.Text);
            csv.WriteField(row.Label);
            csv.WriteField(row.Corpus);
            csv.WriteField(row.IsTest ? "test" : "train");
            csv.WriteField(row.Weight.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(row.Item.WordCount);
            csv.NextRecord();
        }
    }
}
