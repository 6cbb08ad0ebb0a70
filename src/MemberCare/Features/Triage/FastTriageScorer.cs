using System.Globalization;
using System.Numerics.Tensors;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace MemberCare.Features.Triage;

/// <summary>What the three heads say about one text: class indices into each head's labels.</summary>
public readonly record struct FastScores(int Concern, float ConcernConfidence, int Sentiment, float SentimentConfidence, int Language);

/// <summary>
/// Scores the three triage heads from one pass over the text, without ML.NET at prediction time. It reproduces
/// what the models' <c>FeaturizeText</c> computes (lower case, punctuation dropped, words split on spaces, word
/// n-grams and character n-grams over the text framed by the start and end markers, TF-IDF, the character and the
/// word block each L2-normalised) and the maximum entropy classifier on top (linear scores, softmax). The n-gram
/// vocabularies come from the feature slot names, the IDF from the n-gram transforms and the weights and biases
/// from the trained parameters. The n-grams of all three heads share one id space, so each n-gram of the text is
/// looked up once and its row, holding every head's IDF and weights, is read once for the three heads.
/// <see cref="TriageModelSet"/> checks it against ML.NET at load.
/// </summary>
public sealed class FastTriageScorer
{
    private const int MaxCharNgram = 4;
    private const int MaxWordNgram = 2;
    private const char StartMarker = '\u0002';
    private const char EndMarker = '\u0003';
    private const char Dropped = char.MaxValue;

    /// <summary>In a character n-gram table's value, beside the feature: a longer n-gram of the vocabulary starts with this one.</summary>
    private const int Continues = 1;

    [ThreadStatic]
    private static Scratch? s_scratch;

    /// <summary>FeaturizeText's normaliser for ASCII, the bulk of the text: the lower-case character, or <see cref="Dropped"/> for punctuation.</summary>
    private static readonly char[] s_ascii = [.. Enumerable.Range(0, 128).Select(c => char.IsPunctuation((char)c) ? Dropped : char.ToLowerInvariant((char)c))];

    /// <summary>By length - 1: packed characters to (feature + 1) &lt;&lt; 1 | <see cref="Continues"/>; every prefix of an n-gram is present.</summary>
    private readonly NgramTable[] _charGrams;

    /// <summary>A word to its key + 1; a key below the word feature count is the word's own feature.</summary>
    private readonly WordTable _words;

    /// <summary>Two word keys to the bigram's feature + 1.</summary>
    private readonly NgramTable _bigrams;

    private readonly int _charFeatures;
    private readonly int _wordFeatures;
    private readonly Layout _layout;
    private readonly float[] _charRows;
    private readonly float[] _wordRows;

    private FastTriageScorer(NgramTable[] charGrams, WordTable words, NgramTable bigrams, int charFeatures, int wordFeatures, Layout layout, float[] charRows, float[] wordRows)
    {
        _charGrams = charGrams;
        _words = words;
        _bigrams = bigrams;
        _charFeatures = charFeatures;
        _wordFeatures = wordFeatures;
        _layout = layout;
        _charRows = charRows;
        _wordRows = wordRows;
    }

    public IReadOnlyList<string> ConcernLabels => _layout.Labels[0];
    public IReadOnlyList<string> SentimentLabels => _layout.Labels[1];
    public IReadOnlyList<string> LanguageLabels => _layout.Labels[2];

    /// <summary>The language labels as the product reports them (Bokmål and Nynorsk as 'no').</summary>
    public IReadOnlyList<string> ReportedLanguages => _layout.Reported;

    /// <summary>How large the scorer is: its n-grams, its weight rows and its look-up tables, for the bench and the logs.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{_charFeatures:N0} character and {_wordFeatures:N0} word n-grams; weight rows {(_charRows.Length + _wordRows.Length) * sizeof(float) / 1048576.0:F1} MB " +
        $"({_layout.Width} floats each), look-up tables {(_charGrams.Sum(t => t.Bytes) + _bigrams.Bytes + _words.Bytes) / 1048576.0:F1} MB");

    /// <summary>
    /// Reads vocabularies, IDF and weights out of the three trained models; null, with the reason, when a model is
    /// not the shape this scorer reproduces (another featurizer or trainer, longer n-grams).
    /// </summary>
    public static FastTriageScorer? TryBuild(MLContext ml, ITransformer concern, ITransformer sentiment, ITransformer language, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<TextInput>()).Schema;
        var vocabulary = new Vocabulary();
        var parts = new List<ModelParts>(3);
        foreach (var (name, model) in new[] { ("concern", concern), ("sentiment", sentiment), ("language", language) })
        {
            var extracted = ModelParts.TryRead(model, inputSchema, out problem);
            if (extracted is null)
            {
                problem = $"{name}: {problem}";
                return null;
            }
            extracted.Register(vocabulary);
            parts.Add(extracted);
        }
        problem = null;
        vocabulary.Seal();
        var slots = parts.Select(p => p.Slots(vocabulary).ToArray()).ToArray();
        // Features are numbered from the most common (lowest IDF) down, so the rows and counts that nearly every
        // message touches share a few cache lines.
        var charRarity = new double[vocabulary.CharGramCount];
        var wordRarity = new double[vocabulary.WordGramCount];
        Array.Fill(charRarity, double.PositiveInfinity);
        Array.Fill(wordRarity, double.PositiveInfinity);
        foreach (var (chars, id, _, idf) in slots.SelectMany(s => s))
        {
            var rarity = chars ? charRarity : wordRarity;
            rarity[id] = Math.Min(rarity[id], idf);
        }
        var charFeature = Rank(charRarity, out var charFeatures);
        var wordFeature = Rank(wordRarity, out var wordFeatures);

        var layout = new Layout([.. parts.Select(p => p.Labels)], [.. parts.SelectMany(p => p.Biases)]);
        var charRows = new float[charFeatures * layout.Width];
        var wordRows = new float[wordFeatures * layout.Width];
        for (var h = 0; h < parts.Count; h++)
        {
            var weights = parts[h].DenseWeights();
            foreach (var (chars, id, column, idf) in slots[h])
            {
                var rows = chars ? charRows : wordRows;
                var row = (chars ? charFeature : wordFeature)[id] * layout.Width;
                rows[row + layout.IdfOffset + h] = (float)idf;
                for (var k = 0; k < weights.Length; k++)
                {
                    rows[row + layout.Offsets[h] + k] = weights[k][column];
                }
            }
        }
        return new FastTriageScorer(
            CharGramTables(vocabulary, charFeature), WordKeys(vocabulary, wordFeature, wordFeatures, out var bigrams), bigrams,
            charFeatures, wordFeatures, layout, charRows, wordRows);
    }

    /// <summary>Vocabulary id to feature number, by rising rarity; -1 for an id no model uses as a feature.</summary>
    private static int[] Rank(double[] rarity, out int features)
    {
        var ids = Enumerable.Range(0, rarity.Length).Where(id => !double.IsPositiveInfinity(rarity[id])).ToArray();
        var keys = Array.ConvertAll(ids, id => rarity[id]);
        Array.Sort(keys, ids);
        var feature = new int[rarity.Length];
        Array.Fill(feature, -1);
        for (var f = 0; f < ids.Length; f++)
        {
            feature[ids[f]] = f;
        }
        features = ids.Length;
        return feature;
    }

    /// <summary>
    /// One table per n-gram length. Every prefix of a vocabulary n-gram is in the table below it (as a feature or
    /// only as a prefix) and says whether a longer one follows, so counting stops at the first n-gram that leads nowhere.
    /// </summary>
    private static NgramTable[] CharGramTables(Vocabulary vocabulary, int[] charFeature)
    {
        var byLength = Enumerable.Range(0, MaxCharNgram).Select(_ => new Dictionary<ulong, int>(ScrambledKeys.Instance)).ToArray();
        for (var id = 0; id < vocabulary.CharKeys.Count; id++)
        {
            var (key, length) = vocabulary.CharKeys[id];
            byLength[length - 1][key] = (charFeature[id] + 1) << 1;
        }
        for (var n = MaxCharNgram - 1; n > 0; n--)
        {
            foreach (var key in byLength[n].Keys)
            {
                var prefix = key >> 16;
                byLength[n - 1][prefix] = byLength[n - 1].GetValueOrDefault(prefix) | Continues;
            }
        }
        return [.. byLength.Select(t => new NgramTable(t))];
    }

    /// <summary>The word table and the bigram table: a word that is a feature is keyed by its feature, the others after them.</summary>
    private static WordTable WordKeys(Vocabulary vocabulary, int[] wordFeature, int wordFeatures, out NgramTable bigrams)
    {
        var keyOf = new int[vocabulary.Tokens.Count];
        var next = wordFeatures;
        var words = new List<KeyValuePair<string, int>>(vocabulary.Tokens.Count);
        foreach (var (word, token) in vocabulary.Tokens)
        {
            keyOf[token] = wordFeature[token] >= 0 ? wordFeature[token] : next++;
            words.Add(new(word, keyOf[token] + 1));
        }
        bigrams = new NgramTable([.. vocabulary.Bigrams
            .Where(b => wordFeature[b.Value] >= 0)
            .Select(b => new KeyValuePair<ulong, int>(BigramKey(keyOf[b.Key.First], keyOf[b.Key.Second]), wordFeature[b.Value] + 1))]);
        return new WordTable(words);
    }

    /// <summary>Scores the text; the language head runs only when <paramref name="language"/> asks for it (else -1).</summary>
    public FastScores Score(ReadOnlySpan<char> text, bool language)
    {
        var scratch = Featurize(text);
        var layout = _layout;
        Span<float> scores = stackalloc float[layout.Biases.Length];
        Probabilities(scratch, scores, language ? 3 : 2, vectors: true);
        var concern = layout.Best(scores, 0, out var concernConfidence);
        var sentiment = layout.Best(scores, 1, out var sentimentConfidence);
        var lang = language ? layout.Best(scores, 2, out _) : -1;
        return new FastScores(concern, concernConfidence, sentiment, sentimentConfidence, lang);
    }

    /// <summary>Every class probability of every head, for the check against ML.NET; <paramref name="vectors"/> false takes the scalar path.</summary>
    internal float[][] Probabilities(string text, bool vectors = true)
    {
        var scratch = Featurize(text);
        var layout = _layout;
        var scores = new float[layout.Biases.Length];
        Probabilities(scratch, scores, layout.Labels.Length, vectors);
        return [.. Enumerable.Range(0, layout.Labels.Length).Select(h => scores.AsSpan(layout.Offsets[h], layout.Labels[h].Length).ToArray())];
    }

    /// <summary>Biases, then each block's scores scaled by the block's L2 norm, then a softmax per head, for the first <paramref name="heads"/> heads.</summary>
    private void Probabilities(Scratch scratch, Span<float> scores, int heads, bool vectors)
    {
        var layout = _layout;
        Span<float> charBlock = stackalloc float[layout.Width];
        Span<float> wordBlock = stackalloc float[layout.Width];
        Span<double> charSquares = stackalloc double[Layout.Heads + 1];
        Span<double> wordSquares = stackalloc double[Layout.Heads + 1];
        Accumulate(scratch.TouchedChars, scratch.CharCounts, _charRows, charBlock, charSquares, vectors);
        Accumulate(scratch.TouchedWords, scratch.WordCounts, _wordRows, wordBlock, wordSquares, vectors);
        layout.Biases.CopyTo(scores);
        for (var h = 0; h < heads; h++)
        {
            var offset = layout.Offsets[h];
            var classes = layout.Labels[h].Length;
            var head = scores.Slice(offset, classes);
            if (charSquares[h] > 0)
            {
                TensorPrimitives.MultiplyAdd(charBlock.Slice(offset, classes), (float)(1 / Math.Sqrt(charSquares[h])), head, head);
            }
            if (wordSquares[h] > 0)
            {
                TensorPrimitives.MultiplyAdd(wordBlock.Slice(offset, classes), (float)(1 / Math.Sqrt(wordSquares[h])), head, head);
            }
            TensorPrimitives.SoftMax(head, head);
        }
    }

    /// <summary>
    /// Each head's TF-IDF block times its weights, unnormalised, and the block's sum of squares: for every touched
    /// n-gram in the order the text first showed it, value = count × IDF, squares += value², block += weights × value.
    /// </summary>
    private void Accumulate(ReadOnlySpan<int> touched, int[] counts, float[] rows, Span<float> block, Span<double> squares, bool vectors)
    {
        block.Clear();
        squares.Clear();
        if (vectors && Avx2.IsSupported)
        {
            AccumulateVectors(touched, counts, rows, block, squares);
            return;
        }
        var layout = _layout;
        foreach (var id in touched)
        {
            var row = id * layout.Width;
            for (var h = 0; h < Layout.Heads; h++)
            {
                var value = counts[id] * rows[row + layout.IdfOffset + h];
                if (value == 0)
                {
                    continue;
                }
                squares[h] += (double)value * value;
                var part = block.Slice(layout.Offsets[h], layout.Labels[h].Length);
                TensorPrimitives.MultiplyAdd(rows.AsSpan(row + layout.Offsets[h], part.Length), value, part, part);
            }
        }
    }

    /// <summary>
    /// The same sums, all heads of a row at once: each lane of the row is multiplied by its own head's value (a
    /// permute spreads the three values over the lanes) and added, and the squares are summed as doubles side by
    /// side. Every lane sees the same float operations in the same order as the scalar loop, so the results are
    /// the same to the bit; a head whose value is zero adds exact zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateVectors(ReadOnlySpan<int> touched, int[] counts, float[] rows, Span<float> block, Span<double> squares)
    {
        var layout = _layout;
        var width = layout.Width;
        var lanes = layout.LaneHeads;
        Span<Vector256<float>> sums = stackalloc Vector256<float>[lanes.Length];
        sums.Clear();
        var squareSums = Vector256<double>.Zero;
        ref var firstRow = ref MemoryMarshal.GetArrayDataReference(rows);
        ref var firstCount = ref MemoryMarshal.GetArrayDataReference(counts);
        foreach (var id in touched)
        {
            ref var row = ref Unsafe.Add(ref firstRow, (nint)id * width);
            var values = Vector128.Create((float)Unsafe.Add(ref firstCount, id)) * Vector128.LoadUnsafe(ref row, (nuint)layout.IdfOffset);
            var wide = Avx.ConvertToVector256Double(values);
            squareSums += wide * wide;
            var spread = values.ToVector256Unsafe();
            for (var c = 0; c < sums.Length; c++)
            {
                sums[c] = (Vector256.LoadUnsafe(ref row, (nuint)(c * Vector256<float>.Count)) * Avx2.PermuteVar8x32(spread, lanes[c])) + sums[c];
            }
        }
        MemoryMarshal.Cast<Vector256<float>, float>(sums).CopyTo(block);
        squareSums.CopyTo(squares);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Scratch Featurize(ReadOnlySpan<char> text)
    {
        var scratch = s_scratch;
        if (scratch is null || scratch.CharCounts.Length < _charFeatures || scratch.WordCounts.Length < _wordFeatures)
        {
            scratch = s_scratch = new Scratch(Math.Max(_charFeatures, scratch?.CharCounts.Length ?? 0), Math.Max(_wordFeatures, scratch?.WordCounts.Length ?? 0));
        }
        scratch.Clear();
        var normalized = scratch.Normalized(text.Length + 2);
        // FeaturizeText's normaliser: punctuation removed outright (not replaced by a space), lower case, digits and diacritics kept.
        var length = 0;
        normalized[length++] = StartMarker;
        var ascii = s_ascii;
        foreach (var c in text)
        {
            var lower = c < ascii.Length ? ascii[c] : char.IsPunctuation(c) ? Dropped : char.ToLowerInvariant(c);
            if (lower != Dropped)
            {
                normalized[length++] = lower;
            }
        }
        if (length == 1)
        {
            // Nothing left: ML.NET yields an empty vector, markers included.
            return scratch;
        }
        normalized[length++] = EndMarker;
        CountCharGrams(normalized.AsSpan(0, length), scratch);
        CountWordGrams(normalized.AsSpan(1, length - 2), scratch);
        return scratch;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountCharGrams(ReadOnlySpan<char> framed, Scratch scratch)
    {
        var tables = _charGrams;
        for (var i = 0; i < framed.Length; i++)
        {
            ulong key = 0;
            var longest = Math.Min(MaxCharNgram, framed.Length - i);
            for (var n = 0; n < longest; n++)
            {
                key = (key << 16) | framed[i + n];
                var found = tables[n].Find(key);
                if (found >= 2)
                {
                    scratch.AddChar((found >> 1) - 1);
                }
                if ((found & Continues) == 0)
                {
                    break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountWordGrams(ReadOnlySpan<char> normalized, Scratch scratch)
    {
        var previous = -1;
        foreach (var range in normalized.Split(' '))
        {
            var token = normalized[range];
            if (token.IsEmpty)
            {
                continue;
            }
            var key = _words.Find(token) - 1;
            if (key < 0)
            {
                previous = -1;
                continue;
            }
            if (key < _wordFeatures)
            {
                scratch.AddWord(key);
            }
            if (previous >= 0 && _bigrams.Find(BigramKey(previous, key)) is > 0 and var bigram)
            {
                scratch.AddWord(bigram - 1);
            }
            previous = key;
        }
    }

    private static ulong BigramKey(int first, int second) => ((ulong)(uint)first << 32) | (uint)second;

    /// <summary>
    /// Where each head lives in a row of <see cref="Width"/> floats: the heads' class weights one after another from
    /// 0, then the three heads' IDF at <see cref="IdfOffset"/> and a zero, padded to whole vectors.
    /// </summary>
    private sealed class Layout
    {
        public const int Heads = 3;

        public Layout(string[][] labels, float[] biases)
        {
            Labels = labels;
            Biases = biases;
            Offsets = new int[labels.Length];
            for (var h = 1; h < labels.Length; h++)
            {
                Offsets[h] = Offsets[h - 1] + labels[h - 1].Length;
            }
            IdfOffset = labels.Sum(l => l.Length);
            Width = (IdfOffset + Heads + 1 + 7) / 8 * 8;
            // Lane j of a row takes the value of the head whose classes it holds; other lanes the zero after the IDF.
            var heads = new int[Width];
            Array.Fill(heads, Heads);
            for (var h = 0; h < labels.Length; h++)
            {
                heads.AsSpan(Offsets[h], labels[h].Length).Fill(h);
            }
            Reported = [.. labels[^1].Select(TriageLabels.NormalizeLanguage)];
            LaneHeads = [.. heads.Chunk(Vector256<int>.Count).Select(chunk => Vector256.Create(chunk))];
        }

        public string[][] Labels { get; }
        public float[] Biases { get; }
        public int[] Offsets { get; }
        public int IdfOffset { get; }
        public int Width { get; }
        public Vector256<int>[] LaneHeads { get; }
        public string[] Reported { get; }

        public int Best(ReadOnlySpan<float> scores, int head, out float confidence)
        {
            var probabilities = scores.Slice(Offsets[head], Labels[head].Length);
            var best = TensorPrimitives.IndexOfMax(probabilities);
            confidence = probabilities[best];
            return best;
        }
    }

    /// <summary>The union of the three heads' n-grams while they are read: tokens, bigrams of tokens, and character n-grams.</summary>
    private sealed class Vocabulary
    {
        private readonly Dictionary<ulong, int>[] _charGrams = [.. Enumerable.Range(0, MaxCharNgram).Select(_ => new Dictionary<ulong, int>(ScrambledKeys.Instance))];
        private readonly List<(int First, int Second)> _pendingBigrams = [];

        public Dictionary<string, int> Tokens { get; } = new(StringComparer.Ordinal);
        public Dictionary<(int First, int Second), int> Bigrams { get; } = [];

        /// <summary>By character n-gram id: the characters packed 16 bits each, the first highest, and how many.</summary>
        public List<(ulong Key, int Length)> CharKeys { get; } = [];

        public int CharGramCount => CharKeys.Count;

        /// <summary>Word-gram ids are assigned once every model is registered: tokens first, then bigrams.</summary>
        public int WordGramCount => Tokens.Count + Bigrams.Count;

        public int Token(string token)
        {
            if (!Tokens.TryGetValue(token, out var id))
            {
                id = Tokens.Count;
                Tokens.Add(token, id);
            }
            return id;
        }

        public void Bigram(int first, int second) => _pendingBigrams.Add((first, second));

        public int CharGram(ReadOnlySpan<char> gram)
        {
            ulong key = 0;
            foreach (var c in gram)
            {
                key = (key << 16) | c;
            }
            var map = _charGrams[gram.Length - 1];
            if (!map.TryGetValue(key, out var id))
            {
                id = CharKeys.Count;
                CharKeys.Add((key, gram.Length));
                map.Add(key, id);
            }
            return id;
        }

        /// <summary>Bigram ids come after every token id, so they are fixed only once all tokens are known.</summary>
        public void Seal()
        {
            foreach (var pair in _pendingBigrams)
            {
                if (!Bigrams.ContainsKey(pair))
                {
                    Bigrams.Add(pair, Tokens.Count + Bigrams.Count);
                }
            }
            _pendingBigrams.Clear();
        }

        public int WordGram(int[] tokens) => tokens.Length == 1 ? tokens[0] : Bigrams[(tokens[0], tokens[1])];
    }

    /// <summary>What one trained model holds: its slots as n-grams, their IDF, and the classifier.</summary>
    private sealed class ModelParts
    {
        private readonly string[] _labels;
        private readonly ReadOnlyMemory<char>[] _charNames;
        private readonly ReadOnlyMemory<char>[] _wordNames;
        private readonly double[] _charIdf;
        private readonly double[] _wordIdf;
        private readonly VBuffer<float>[] _weights;
        private readonly float[] _biases;
        private readonly Func<int, uint[]?> _charKeys;
        private int[]? _charIds;
        private int[][]? _wordTokens;

        private ModelParts(string[] labels, ReadOnlyMemory<char>[] charNames, ReadOnlyMemory<char>[] wordNames, double[] charIdf, double[] wordIdf, VBuffer<float>[] weights, float[] biases, Func<int, uint[]?> charKeys)
        {
            _charKeys = charKeys;
            _labels = labels;
            _charNames = charNames;
            _wordNames = wordNames;
            _charIdf = charIdf;
            _wordIdf = wordIdf;
            _weights = weights;
            _biases = biases;
        }

        public static ModelParts? TryRead(ITransformer model, DataViewSchema inputSchema, out string? problem)
        {
            problem = null;
            if (model is not TransformerChain<ITransformer> chain || chain.Count() < 2)
            {
                problem = "not a chain of a featurizer and a classifier";
                return null;
            }
            var featurizer = chain.First();
            var predictor = chain.OfType<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>().FirstOrDefault();
            if (predictor is null)
            {
                problem = "the classifier is not maximum entropy (softmax over linear scores)";
                return null;
            }
            if (featurizer.GetOutputSchema(inputSchema).GetColumnOrNull("Features") is not { } features
                || features.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
            {
                problem = "no named Features column";
                return null;
            }
            VBuffer<ReadOnlyMemory<char>> slotNames = default;
            features.GetSlotNames(ref slotNames);
            var names = slotNames.DenseValues().ToArray();
            var charCount = names.TakeWhile(n => n.Span.StartsWith("Char.")).Count();
            if (charCount == 0 || names.Skip(charCount).Any(n => !n.Span.StartsWith("Word.")))
            {
                problem = "the features are not a character block followed by a word block";
                return null;
            }
            var ngrams = NgramTransforms(featurizer);
            if (ngrams is not [var words, var chars]
                || Idf(words) is not { } wordIdf || Idf(chars) is not { } charIdf
                || wordIdf.Length < names.Length - charCount || charIdf.Length < charCount)
            {
                problem = "the IDF of the word and character n-grams cannot be read";
                return null;
            }
            var score = chain.GetOutputSchema(inputSchema).GetColumnOrNull("Score");
            VBuffer<ReadOnlyMemory<char>> labelNames = default;
            score?.GetSlotNames(ref labelNames);
            var labels = labelNames.DenseValues().Select(l => l.ToString()).ToArray();
            VBuffer<float>[] weights = [];
            predictor.Model.GetWeights(ref weights, out var classes);
            var biases = predictor.Model.GetBiases().ToArray();
            if (classes != labels.Length || biases.Length != classes || weights.Any(w => w.Length != names.Length))
            {
                problem = "the classifier's weights do not match its labels or features";
                return null;
            }
            return new ModelParts(labels, [.. names.Take(charCount).Select(n => n[5..])], [.. names.Skip(charCount).Select(n => n[5..])], charIdf, wordIdf, weights, biases, PoolReader(chars));
        }

        private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

        /// <summary>The featurizer's n-gram transforms, in order (words, then characters).</summary>
        private static List<NgramExtractingTransformer>? NgramTransforms(ITransformer featurizer)
        {
            if (featurizer.GetType().GetField("_chain", Private)?.GetValue(featurizer) is not IEnumerable<ITransformer> steps)
            {
                return null;
            }
            var found = new List<NgramExtractingTransformer>();
            void Walk(IEnumerable<ITransformer> transformers)
            {
                foreach (var step in transformers)
                {
                    if (step is NgramExtractingTransformer ngrams)
                    {
                        found.Add(ngrams);
                    }
                    else if (step is IEnumerable<ITransformer> inner)
                    {
                        Walk(inner);
                    }
                }
            }
            Walk(steps);
            return found;
        }

        /// <summary>
        /// An n-gram transform's IDF, null under plain TF weighting. ML.NET keeps it private; the load-time check
        /// against ML.NET's own scores is what makes reading it safe.
        /// </summary>
        private static double[]? Idf(NgramExtractingTransformer ngrams) =>
            typeof(NgramExtractingTransformer).GetField("_invDocFreqs", Private)?.GetValue(ngrams) is double[][] { Length: 1 } idf ? idf[0] : null;

        /// <summary>
        /// The key sequence of a slot, from the transform's n-gram pool: slot names print every surrogate half (emoji)
        /// the same way, so those n-grams are read from the pool (a character's key is its code).
        /// </summary>
        private static Func<int, uint[]?> PoolReader(NgramExtractingTransformer ngrams)
        {
            var pool = (typeof(NgramExtractingTransformer).GetField("_ngramMaps", Private)?.GetValue(ngrams) as Array)?.GetValue(0);
            var getById = pool?.GetType().GetMethod("GetById", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (pool is null || getById is null)
            {
                return _ => null;
            }
            return slot =>
            {
                object?[] arguments = [slot, new uint[MaxCharNgram]];
                var length = (int)getById.Invoke(pool, arguments)!;
                return arguments[1] is uint[] keys && length is > 0 and <= MaxCharNgram ? keys[..length] : null;
            };
        }

        public void Register(Vocabulary vocabulary)
        {
            _charIds = new int[_charNames.Length];
            var gram = new char[MaxCharNgram];
            for (var slot = 0; slot < _charNames.Length; slot++)
            {
                var length = ParseCharGram(_charNames[slot].Span, gram);
                if (length < 0 && _charKeys(slot) is { } keys && keys.All(k => k is > 0 and <= char.MaxValue))
                {
                    length = keys.Length;
                    for (var i = 0; i < length; i++)
                    {
                        gram[i] = (char)keys[i];
                    }
                }
                _charIds[slot] = length < 0 ? -1 : vocabulary.CharGram(gram.AsSpan(0, length));
            }
            _wordTokens = new int[_wordNames.Length][];
            for (var slot = 0; slot < _wordNames.Length; slot++)
            {
                var parts = _wordNames[slot].ToString().Split('|');
                if (parts.Length > MaxWordNgram)
                {
                    // A token holding '|' (not punctuation to .NET): treat as one token, whatever its n.
                    parts = [_wordNames[slot].ToString()];
                }
                _wordTokens[slot] = [.. parts.Select(vocabulary.Token)];
                if (parts.Length == 2)
                {
                    vocabulary.Bigram(_wordTokens[slot][0], _wordTokens[slot][1]);
                }
            }
        }

        public int Classes => _labels.Length;

        public string[] Labels => _labels;

        public float[] Biases => _biases;

        /// <summary>Each slot as (character block?, vocabulary id, feature column, IDF); slots that name no n-gram are left out.</summary>
        public IEnumerable<(bool Chars, int Id, int Feature, double Idf)> Slots(Vocabulary vocabulary)
        {
            for (var slot = 0; slot < _charIds!.Length; slot++)
            {
                if (_charIds[slot] >= 0)
                {
                    yield return (true, _charIds[slot], slot, _charIdf[slot]);
                }
            }
            for (var slot = 0; slot < _wordTokens!.Length; slot++)
            {
                yield return (false, vocabulary.WordGram(_wordTokens[slot]), _charNames.Length + slot, _wordIdf[slot]);
            }
        }

        /// <summary>The class weights by class, dense, indexed by feature column.</summary>
        public float[][] DenseWeights() => [.. _weights.Select(w => w.DenseValues().ToArray())];

        /// <summary>"a|&lt;␠&gt;|b": one character per part, control characters and space shown as their Unicode pictures.</summary>
        private static int ParseCharGram(ReadOnlySpan<char> name, Span<char> gram)
        {
            var length = 0;
            var i = 0;
            while (i < name.Length)
            {
                if (length == gram.Length)
                {
                    return -1;
                }
                if (name[i] == '<' && i + 2 < name.Length && name[i + 2] == '>' && name[i + 1] is >= '\u2400' and <= '\u2421')
                {
                    gram[length++] = name[i + 1] == '\u2421' ? '\u007f' : (char)(name[i + 1] - 0x2400);
                    i += 3;
                }
                else
                {
                    gram[length++] = name[i++];
                }
                if (i < name.Length)
                {
                    if (name[i] != '|')
                    {
                        return -1;
                    }
                    i++;
                }
            }
            return length;
        }
    }

    /// <summary>
    /// Packed n-gram keys for the dictionaries used while loading: a ulong's own hash code XORs its halves, which maps
    /// the 4-grams of lower-case letters onto about a thousand buckets; multiplying by an odd constant spreads them.
    /// </summary>
    private sealed class ScrambledKeys : IEqualityComparer<ulong>
    {
        public static ScrambledKeys Instance { get; } = new();

        public bool Equals(ulong x, ulong y) => x == y;

        public int GetHashCode(ulong obj) => (int)((obj * 0x9E3779B97F4A7C15UL) >> 32);
    }

    /// <summary>One thread's counting buffers, sized to the largest vocabulary it has met, cleared by what was touched.</summary>
    private sealed class Scratch(int charGrams, int wordGrams)
    {
        private char[] _normalized = new char[256];
        private int[] _touchedChars = new int[256];
        private int[] _touchedWords = new int[64];
        private int _charCount;
        private int _wordCount;

        public int[] CharCounts { get; } = new int[charGrams];
        public int[] WordCounts { get; } = new int[wordGrams];
        public ReadOnlySpan<int> TouchedChars => _touchedChars.AsSpan(0, _charCount);
        public ReadOnlySpan<int> TouchedWords => _touchedWords.AsSpan(0, _wordCount);

        public char[] Normalized(int length)
        {
            if (_normalized.Length < length)
            {
                _normalized = new char[Math.Max(length, _normalized.Length * 2)];
            }
            return _normalized;
        }

        public void AddChar(int id)
        {
            if (CharCounts[id]++ == 0)
            {
                Append(ref _touchedChars, ref _charCount, id);
            }
        }

        public void AddWord(int id)
        {
            if (WordCounts[id]++ == 0)
            {
                Append(ref _touchedWords, ref _wordCount, id);
            }
        }

        public void Clear()
        {
            foreach (var id in TouchedChars)
            {
                CharCounts[id] = 0;
            }
            foreach (var id in TouchedWords)
            {
                WordCounts[id] = 0;
            }
            _charCount = 0;
            _wordCount = 0;
        }

        private static void Append(ref int[] list, ref int count, int id)
        {
            if (count == list.Length)
            {
                Array.Resize(ref list, list.Length * 2);
            }
            list[count++] = id;
        }
    }
}
