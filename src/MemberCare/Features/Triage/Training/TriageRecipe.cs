using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace MemberCare.Features.Triage.Training;

public enum TrainerKind
{
    LbfgsMaximumEntropy,
    SdcaMaximumEntropy,
}

/// <summary>
/// How one model is built: text features (hashed word and character n-grams, so the model's size is fixed by the
/// number of bits and no n-gram dictionary is stored), the trainer and its regularisation, and how examples are
/// weighted: <see cref="Balance"/> 0 keeps the class frequencies of each corpus, 1 gives every class of a corpus the
/// same total weight (<see cref="BalanceAcrossCorpora"/>: every class of all corpora together);
/// <see cref="CorpusWeights"/> scales whole corpora against each other.
/// </summary>
public sealed record TriageRecipe(
    string Name,
    int WordNgrams,
    int WordBits,
    int CharNgrams,
    int CharBits,
    TrainerKind Trainer,
    bool Dictionary,
    float L1,
    float L2,
    double Balance,
    IReadOnlyDictionary<string, float> CorpusWeights,
    bool BalanceAcrossCorpora = false)
{
    public float CorpusWeight(string corpus) => CorpusWeights.TryGetValue(corpus, out var weight) ? weight : 1f;

    public override string ToString() =>
        $"{Name}: words 1-{WordNgrams}, chars 1-{CharNgrams}, " +
        (Dictionary ? $"TF-IDF over the first {Cap(WordBits)} word and {Cap(CharBits)} character n-grams of each length" : $"hashed into {WordBits} and {CharBits} bits") +
        $", {Trainer} L1={L1} L2={L2}, balance {Balance}{(BalanceAcrossCorpora ? " across corpora" : "")}" +
        (CorpusWeights.Count == 0 ? "" : ", corpus weights " + string.Join(", ", CorpusWeights.Select(w => $"{w.Key}={w.Value}")));

    // With a dictionary the bits give its size: at most 2^bits n-grams of each length, the first met in the
    // (hash-shuffled) training texts, so frequent n-grams are nearly always in.
    private static int Cap(int bits) => 1 << bits;

    /// <summary>The text features: lower case, diacritics kept (æ ø å ä ö tell the Nordic languages apart).</summary>
    public IEstimator<ITransformer> Features(MLContext ml)
    {
        if (Dictionary)
        {
            return ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = true,
                KeepPunctuations = false,
                KeepNumbers = true,
                WordFeatureExtractor = WordNgrams == 0 ? null : new WordBagEstimator.Options
                {
                    NgramLength = WordNgrams,
                    UseAllLengths = true,
                    MaximumNgramsCount = [.. Enumerable.Repeat(Cap(WordBits), WordNgrams)],
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                CharFeatureExtractor = CharNgrams == 0 ? null : new WordBagEstimator.Options
                {
                    NgramLength = CharNgrams,
                    UseAllLengths = true,
                    MaximumNgramsCount = [.. Enumerable.Repeat(Cap(CharBits), CharNgrams)],
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(TextInput.Text));
        }

        IEstimator<ITransformer> features = ml.Transforms.Text.NormalizeText(
            "Normalized", nameof(TextInput.Text), TextNormalizingEstimator.CaseMode.Lower,
            keepDiacritics: true, keepPunctuations: true, keepNumbers: true);
        var blocks = new List<string>();
        if (WordNgrams > 0)
        {
            features = features
                .Append(ml.Transforms.Text.NormalizeText(
                    "WordText", "Normalized", TextNormalizingEstimator.CaseMode.None,
                    keepDiacritics: true, keepPunctuations: false, keepNumbers: true))
                .Append(ml.Transforms.Text.ProduceHashedWordBags(
                    "WordGrams", "WordText", numberOfBits: WordBits, ngramLength: WordNgrams, useAllLengths: true))
                .Append(ml.Transforms.NormalizeLpNorm("WordGrams"));
            blocks.Add("WordGrams");
        }
        if (CharNgrams > 0)
        {
            features = features
                .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", "Normalized", useMarkerCharacters: true))
                .Append(ml.Transforms.Text.ProduceHashedNgrams(
                    "CharGrams", "Chars", numberOfBits: CharBits, ngramLength: CharNgrams, useAllLengths: true))
                .Append(ml.Transforms.NormalizeLpNorm("CharGrams"));
            blocks.Add("CharGrams");
        }
        return features.Append(ml.Transforms.Concatenate("Features", [.. blocks]));
    }

    public IEstimator<ITransformer> Estimator(MLContext ml) => Trainer switch
    {
        TrainerKind.SdcaMaximumEntropy => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = "Weight",
                L1Regularization = L1,
                L2Regularization = L2,
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 30,
            }),
        _ => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
            new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = "Weight",
                L1Regularization = L1,
                L2Regularization = L2,
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 100,
                OptimizationTolerance = 1e-4f,
            }),
    };
}
