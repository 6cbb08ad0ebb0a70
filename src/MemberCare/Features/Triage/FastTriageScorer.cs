using System.Numerics.Tensors;
using System.Reflection;
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
/// looked up once and serves the three heads. <see cref="TriageModelSet"/> checks it against ML.NET at load.
/// </summary>
public sealed class FastTriageScorer
{
    private const int MaxCharNgram = 4;
    private const int MaxWordNgram = 2;
    private const char StartMarker = '\u0002';
    private const char EndMarker = '\u0003';

    [ThreadStatic]
    private static Scratch? s_scratch;

    private readonly Dictionary<string, int> _tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _tokenLookup;
    private readonly Dictionary<long, int> _bigrams;
    private readonly Dictionary<ulong, int>[] _charGrams;
    private readonly int _wordGramCount;
    private readonly int _charGramCount;
    private readonly Head[] _heads;

    private FastTriageScorer(Vocabulary vocabulary, Head[] heads)
    {
        _tokens = vocabulary.Tokens;
        _tokenLookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _bigrams = vocabulary.Bigrams;
        _charGrams = vocabulary.CharGrams;
        _wordGramCount = vocabulary.WordGramCount;
        _charGramCount = vocabulary.CharGramCount;
        _heads = heads;
    }

    public IReadOnlyList<string> ConcernLabels => _heads[0].Labels;
    public IReadOnlyList<string> SentimentLabels => _heads[1].Labels;
    public IReadOnlyList<string> LanguageLabels => _heads[2].Labels;

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
        // One row per n-gram holds every head's IDF and weights side by side, so the three heads read the same cache lines.
        var width = parts.Count + parts.Sum(p => p.Classes);
        var rows = new Rows(width, new float[vocabulary.CharGramCount * width], new float[vocabulary.WordGramCount * width]);
        var heads = new Head[parts.Count];
        var offset = parts.Count;
        for (var h = 0; h < parts.Count; h++)
        {
            heads[h] = parts[h].Fill(vocabulary, rows, h, offset);
            offset += parts[h].Classes;
        }
        return new FastTriageScorer(vocabulary, heads);
    }

    /// <summary>Scores the text; the language head runs only when <paramref name="language"/> asks for it (else -1).</summary>
    public FastScores Score(ReadOnlySpan<char> text, bool language)
    {
        var scratch = Featurize(text);
        var concern = _heads[0].Predict(scratch, out var concernConfidence);
        var sentiment = _heads[1].Predict(scratch, out var sentimentConfidence);
        var lang = language ? _heads[2].Predict(scratch, out _) : -1;
        return new FastScores(concern, concernConfidence, sentiment, sentimentConfidence, lang);
    }

    /// <summary>Every class probability of every head, for the check against ML.NET.</summary>
    internal float[][] Probabilities(string text)
    {
        var scratch = Featurize(text);
        return [.. _heads.Select(h =>
        {
            var probabilities = new float[h.Labels.Length];
            h.Probabilities(scratch, probabilities);
            return probabilities;
        })];
    }

    private Scratch Featurize(ReadOnlySpan<char> text)
    {
        var scratch = s_scratch;
        if (scratch is null || scratch.CharCounts.Length < _charGramCount || scratch.WordCounts.Length < _wordGramCount)
        {
            scratch = s_scratch = new Scratch(Math.Max(_charGramCount, scratch?.CharCounts.Length ?? 0), Math.Max(_wordGramCount, scratch?.WordCounts.Length ?? 0));
        }
        scratch.Clear();
        var normalized = scratch.Normalized(text.Length + 2);
        // FeaturizeText's normaliser: punctuation removed outright (not replaced by a space), lower case, digits and diacritics kept.
        var length = 0;
        normalized[length++] = StartMarker;
        foreach (var c in text)
        {
            if (!char.IsPunctuation(c))
            {
                normalized[length++] = char.ToLowerInvariant(c);
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

    private void CountCharGrams(ReadOnlySpan<char> framed, Scratch scratch)
    {
        for (var i = 0; i < framed.Length; i++)
        {
            ulong key = 0;
            var longest = Math.Min(MaxCharNgram, framed.Length - i);
            for (var n = 0; n < longest; n++)
            {
                key = (key << 16) | framed[i + n];
                if (_charGrams[n].TryGetValue(Mix(key), out var id))
                {
                    scratch.AddChar(id);
                }
            }
        }
    }

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
            if (!_tokenLookup.TryGetValue(token, out var id))
            {
                previous = -1;
                continue;
            }
            scratch.AddWord(id);
            if (previous >= 0 && _bigrams.TryGetValue(BigramKey(previous, id), out var bigram))
            {
                scratch.AddWord(bigram);
            }
            previous = id;
        }
    }

    private static long BigramKey(int first, int second) => (long)Mix(((ulong)(uint)first << 32) | (uint)second);

    /// <summary>
    /// A one-to-one scramble of packed n-gram keys: a ulong's hash code XORs its halves, which maps the 4-grams of
    /// lower-case letters onto about a thousand buckets; multiplying by an odd constant spreads them.
    /// </summary>
    private static ulong Mix(ulong key) => key * 0x9E3779B97F4A7C15UL;

    /// <summary>The union of the three heads' n-grams: tokens are their own unigram ids, bigrams follow them.</summary>
    private sealed class Vocabulary
    {
        public Dictionary<string, int> Tokens { get; } = new(StringComparer.Ordinal);
        public Dictionary<long, int> Bigrams { get; } = [];
        public Dictionary<ulong, int>[] CharGrams { get; } = [.. Enumerable.Range(0, MaxCharNgram).Select(_ => new Dictionary<ulong, int>())];
        public int CharGramCount { get; private set; }

        /// <summary>Word-gram ids are assigned once every model is registered: tokens first, then bigrams.</summary>
        public int WordGramCount => Tokens.Count + Bigrams.Count;

        private readonly List<(int First, int Second)> _pendingBigrams = [];

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
            var map = CharGrams[gram.Length - 1];
            if (!map.TryGetValue(Mix(key), out var id))
            {
                id = CharGramCount++;
                map.Add(Mix(key), id);
            }
            return id;
        }

        /// <summary>Bigram ids come after every token id, so they are fixed only once all tokens are known.</summary>
        public void Seal()
        {
            foreach (var (first, second) in _pendingBigrams)
            {
                Bigrams.TryAdd(BigramKey(first, second), -1);
            }
            _pendingBigrams.Clear();
            var next = Tokens.Count;
            foreach (var key in Bigrams.Keys.ToArray())
            {
                if (Bigrams[key] < 0)
                {
                    Bigrams[key] = next++;
                }
            }
        }

        public int WordGram(int[] tokens) => tokens.Length == 1 ? tokens[0] : Bigrams[BigramKey(tokens[0], tokens[1])];
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

        public Head Fill(Vocabulary vocabulary, Rows rows, int column, int offset)
        {
            var classes = _labels.Length;
            var dense = _weights.Select(w => w.DenseValues().ToArray()).ToArray();
            for (var slot = 0; slot < _charIds!.Length; slot++)
            {
                if (_charIds[slot] >= 0)
                {
                    Place(rows.Chars, _charIds[slot], slot, _charIdf[slot]);
                }
            }
            for (var slot = 0; slot < _wordTokens!.Length; slot++)
            {
                Place(rows.Words, vocabulary.WordGram(_wordTokens[slot]), _charNames.Length + slot, _wordIdf[slot]);
            }
            return new Head(_labels, _biases, rows, column, offset);

            void Place(float[] table, int id, int feature, double idf)
            {
                var row = id * rows.Width;
                table[row + column] = (float)idf;
                for (var k = 0; k < classes; k++)
                {
                    table[row + offset + k] = dense[k][feature];
                }
            }
        }

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

    /// <summary>By shared n-gram id, a row of width floats: each head's IDF (one column per head), then each head's class weights.</summary>
    private sealed record Rows(int Width, float[] Chars, float[] Words);

    /// <summary>One head's classifier: its IDF column and its run of class weights in the shared rows.</summary>
    private sealed class Head(string[] labels, float[] biases, Rows rows, int column, int offset)
    {
        public string[] Labels => labels;

        public int Predict(Scratch scratch, out float confidence)
        {
            Span<float> scores = stackalloc float[labels.Length];
            Probabilities(scratch, scores);
            var best = TensorPrimitives.IndexOfMax(scores);
            confidence = scores[best];
            return best;
        }

        public void Probabilities(Scratch scratch, Span<float> scores)
        {
            var classes = labels.Length;
            Span<float> block = stackalloc float[classes];
            biases.CopyTo(scores);
            AddBlock(scratch.TouchedChars, scratch.CharCounts, rows.Chars, block, scores);
            AddBlock(scratch.TouchedWords, scratch.WordCounts, rows.Words, block, scores);
            TensorPrimitives.SoftMax(scores, scores);
        }

        private void AddBlock(ReadOnlySpan<int> touched, int[] counts, float[] table, Span<float> block, Span<float> scores)
        {
            var classes = labels.Length;
            var width = rows.Width;
            block.Clear();
            var squares = 0.0;
            foreach (var id in touched)
            {
                var row = id * width;
                var value = counts[id] * table[row + column];
                if (value == 0)
                {
                    continue;
                }
                squares += (double)value * value;
                TensorPrimitives.MultiplyAdd(table.AsSpan(row + offset, classes), value, block, block);
            }
            if (squares > 0)
            {
                TensorPrimitives.MultiplyAdd(block, (float)(1 / Math.Sqrt(squares)), scores, scores);
            }
        }
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
