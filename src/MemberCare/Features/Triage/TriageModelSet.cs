using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MemberCare.Features.Triage;

/// <summary>The three triage models, loaded together from one folder, with the version the manifest gives them.</summary>
public sealed class TriageModelSet
{
    private TriageModelSet(string version, ModelStamp stamp, ModelHead concern, ModelHead sentiment, ModelHead language, FastTriageScorer? fast, string fastPath, TimeSpan loadTime)
    {
        Fast = fast;
        FastPath = fastPath;
        Version = version;
        Stamp = stamp;
        Concern = concern;
        Sentiment = sentiment;
        Language = language;
        LoadTime = loadTime;
    }

    public string Version { get; }
    public ModelStamp Stamp { get; }
    public ModelHead Concern { get; }
    public ModelHead Sentiment { get; }
    public ModelHead Language { get; }
    public TimeSpan LoadTime { get; }

    /// <summary>The one-pass scorer, when it reproduced ML.NET's scores at load; null means the PredictionEngines score.</summary>
    public FastTriageScorer? Fast { get; }

    /// <summary>Why the fast path is on or off, with its largest difference from ML.NET on the check texts.</summary>
    public string FastPath { get; }

    /// <summary>Loads and checks all three models; throws <see cref="TriageModelException"/> saying what is wrong.</summary>
    public static TriageModelSet Load(string folder)
    {
        var started = Stopwatch.GetTimestamp();
        if (!Directory.Exists(folder))
        {
            throw new TriageModelException($"The models folder {folder} does not exist.");
        }
        var stamp = ModelStamp.Of(folder);
        var ml = new MLContext(seed: 0);
        var concern = ModelHead.Load(ml, folder, TriageModelFiles.Concern);
        var sentiment = ModelHead.Load(ml, folder, TriageModelFiles.Sentiment);
        var language = ModelHead.Load(ml, folder, TriageModelFiles.Language);
        var version = ReadVersion(folder);
        var fast = FastTriageScorer.TryBuild(ml, concern.Model, sentiment.Model, language.Model, out var problem);
        string fastPath;
        if (fast is null)
        {
            fastPath = $"off: {problem}";
        }
        else
        {
            fastPath = FastPathCheck.Compare(fast, concern, sentiment, language);
            if (fastPath.StartsWith("off", StringComparison.Ordinal))
            {
                fast = null;
            }
        }
        return new TriageModelSet(version, stamp, concern, sentiment, language, fast, fastPath, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The manifest's version, or a digest of the model files when the manifest names none.</summary>
    private static string ReadVersion(string folder)
    {
        var manifest = Path.Combine(folder, TriageModelFiles.Manifest);
        if (File.Exists(manifest))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("version", out var version)
                    && version.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    && version.ToString() is { Length: > 0 and <= 64 } text)
                {
                    return text;
                }
            }
            catch (JsonException ex)
            {
                throw new TriageModelException($"{manifest} is not valid JSON: {ex.Message}", ex);
            }
        }
        using var sha = SHA256.Create();
        foreach (var file in new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language })
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return "sha256-" + Convert.ToHexStringLower(sha.Hash!)[..12];
    }
}

/// <summary>What the files in a models folder looked like, to notice when a new set has been written there.</summary>
public readonly record struct ModelStamp(DateTime LatestWriteUtc, long TotalBytes, int Files)
{
    public static ModelStamp Of(string folder)
    {
        var latest = DateTime.MinValue;
        long bytes = 0;
        var files = 0;
        foreach (var name in new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language, TriageModelFiles.Manifest })
        {
            var info = new FileInfo(Path.Combine(folder, name));
            if (info.Exists)
            {
                latest = info.LastWriteTimeUtc > latest ? info.LastWriteTimeUtc : latest;
                bytes += info.Length;
                files++;
            }
        }
        return new ModelStamp(latest, bytes, files);
    }
}

/// <summary>
/// One model and a pool of prediction engines for it: an ML.NET PredictionEngine is not thread-safe, and
/// building one costs far more than a prediction, so each thread borrows one and gives it back.
/// </summary>
public sealed class ModelHead
{
    private readonly ObjectPool<Predictor> _pool;

    private ModelHead(string name, ITransformer model, ObjectPool<Predictor> pool, string[] labels)
    {
        Name = name;
        Model = model;
        _pool = pool;
        Labels = labels;
    }

    public string Name { get; }

    public ITransformer Model { get; }

    /// <summary>The class names, in the order of the Score vector.</summary>
    public IReadOnlyList<string> Labels { get; }

    internal static ModelHead Load(MLContext ml, string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new TriageModelException($"The model {path} is missing.");
        }
        ITransformer model;
        try
        {
            model = ml.Model.Load(path, out _);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TriageModelException($"The model {path} cannot be loaded: {ex.Message}", ex);
        }
        var pool = new DefaultObjectPool<Predictor>(new PredictorPolicy(ml, model), Math.Max(4, Environment.ProcessorCount * 2));
        Predictor first;
        try
        {
            first = pool.Get();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new TriageModelException($"The model {path} does not map Text to PredictedLabel and Score: {ex.Message}", ex);
        }
        var labels = ReadLabels(first.Engine, path);
        // One prediction proves the whole pipeline runs before the set goes live.
        first.Predict("ok");
        if (first.Output.Score.Length != labels.Length)
        {
            throw new TriageModelException($"The model {path} scores {first.Output.Score.Length} classes but names {labels.Length}.");
        }
        pool.Return(first);
        return new ModelHead(Path.GetFileNameWithoutExtension(file), model, pool, labels);
    }

    public (string Label, float Confidence) Predict(string text)
    {
        var predictor = _pool.Get();
        try
        {
            predictor.Predict(text);
            var scores = predictor.Output.Score;
            var best = 0;
            for (var i = 1; i < scores.Length; i++)
            {
                if (scores[i] > scores[best])
                {
                    best = i;
                }
            }
            return (Labels[best], scores.Length == 0 ? 0f : scores[best]);
        }
        finally
        {
            _pool.Return(predictor);
        }
    }

    /// <summary>Every class probability, in label order.</summary>
    public float[] Scores(string text)
    {
        var predictor = _pool.Get();
        try
        {
            predictor.Predict(text);
            return [.. predictor.Output.Score];
        }
        finally
        {
            _pool.Return(predictor);
        }
    }

    private static string[] ReadLabels(PredictionEngine<TextInput, LabelPrediction> engine, string path)
    {
        var score = engine.OutputSchema.GetColumnOrNull("Score")
            ?? throw new TriageModelException($"The model {path} has no Score column.");
        if (score.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
        {
            throw new TriageModelException($"The model {path} does not name its classes (no SlotNames on Score).");
        }
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.Annotations.GetValue("SlotNames", ref names);
        var labels = names.DenseValues().Select(n => n.ToString()).ToArray();
        if (labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace))
        {
            throw new TriageModelException($"The model {path} names no classes, or a blank one.");
        }
        return labels;
    }

    /// <summary>An engine with its own input and output rows, reused so a prediction allocates little.</summary>
    internal sealed class Predictor(PredictionEngine<TextInput, LabelPrediction> engine)
    {
        private readonly TextInput _input = new();
        private LabelPrediction _output = new();

        public PredictionEngine<TextInput, LabelPrediction> Engine => engine;
        public LabelPrediction Output => _output;

        public void Predict(string text)
        {
            _input.Text = text;
            engine.Predict(_input, ref _output);
        }
    }

    private sealed class PredictorPolicy(MLContext ml, ITransformer model) : IPooledObjectPolicy<Predictor>
    {
        public Predictor Create() => new(ml.Model.CreatePredictionEngine<TextInput, LabelPrediction>(model));

        public bool Return(Predictor obj) => true;
    }
}

public sealed class TriageModelException(string message, Exception? inner = null) : Exception(message, inner);
