using System.Globalization;

namespace MemberCare.Features.Triage.Training;

public sealed record ClassMetrics(string Label, int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>
/// How one model did on the held-out texts of one corpus. Macro-F1 averages the classes that occur in the corpus's
/// gold labels; a text predicted as a class the corpus lacks still costs the recall of its true class.
/// </summary>
public sealed record ClassificationReport(
    string Model,
    string Corpus,
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<ClassMetrics> Classes,
    IReadOnlyList<string> Labels,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    int FiveWordsOrMoreCount,
    double? FiveWordsOrMoreAccuracy)
{
    public sealed record Outcome(string Gold, string Predicted, int Words);

    public static ClassificationReport Of(string model, string corpus, IReadOnlyList<Outcome> outcomes, IReadOnlyList<string> modelLabels)
    {
        var present = outcomes.Select(o => o.Gold).Concat(outcomes.Select(o => o.Predicted)).ToHashSet();
        var labels = modelLabels.Where(present.Contains).Concat(present.Where(p => !modelLabels.Contains(p)).Order(StringComparer.Ordinal)).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var confusion = labels.Select(_ => new int[labels.Count]).ToArray();
        foreach (var outcome in outcomes)
        {
            confusion[index[outcome.Gold]][index[outcome.Predicted]]++;
        }
        var classes = new List<ClassMetrics>();
        foreach (var label in labels)
        {
            var i = index[label];
            var support = confusion[i].Sum();
            var predicted = confusion.Sum(row => row[i]);
            var correct = confusion[i][i];
            var precision = predicted == 0 ? 0 : (double)correct / predicted;
            var recall = support == 0 ? 0 : (double)correct / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes.Add(new ClassMetrics(label, support, predicted, precision, recall, f1));
        }
        var gold = classes.Where(c => c.Support > 0).ToList();
        var longer = outcomes.Where(o => o.Words >= 5).ToList();
        return new ClassificationReport(
            model,
            corpus,
            outcomes.Count,
            outcomes.Count == 0 ? 0 : (double)outcomes.Count(o => o.Gold == o.Predicted) / outcomes.Count,
            gold.Count == 0 ? 0 : gold.Average(c => c.F1),
            classes,
            labels,
            [.. confusion.Select(row => (IReadOnlyList<int>)row)],
            longer.Count,
            longer.Count == 0 ? null : (double)longer.Count(o => o.Gold == o.Predicted) / longer.Count);
    }

    public void WriteTo(TextWriter output)
    {
        output.WriteLine($"{Model} on {Corpus}: {Count} held-out texts, macro-F1 {F(MacroF1)}, accuracy {F(Accuracy)}" +
            (FiveWordsOrMoreAccuracy is { } five ? $", accuracy on {FiveWordsOrMoreCount} texts of 5+ words {F(five)}" : ""));
        var width = Math.Max(8, Labels.Max(l => l.Length));
        output.WriteLine($"  {"class".PadRight(width)}  support  precision  recall     F1");
        foreach (var c in Classes)
        {
            output.WriteLine($"  {c.Label.PadRight(width)}  {c.Support,7}  {F(c.Precision),9}  {F(c.Recall),6}  {F(c.F1),5}");
        }
        output.WriteLine($"  confusion (rows: true class, columns: predicted, in the order above)");
        for (var i = 0; i < Labels.Count; i++)
        {
            output.WriteLine($"  {Labels[i].PadRight(width)}  {string.Join(' ', Confusion[i].Select(n => n.ToString(CultureInfo.InvariantCulture).PadLeft(4)))}");
        }
        output.WriteLine();
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
