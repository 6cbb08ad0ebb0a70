namespace MemberCare.Features.Triage.Training;

/// <summary>Splits the labelled texts of one model and weighs its training side as a recipe asks.</summary>
public static class TriageDatasets
{
    public static TaskDataset Build(TriageTask task, IReadOnlyList<LabelledText> items, TriageRecipe recipe)
    {
        var assigned = SplitRule.Assign(items);
        // A corrected text that another corpus holds out would leak the test into training: it is left out.
        var heldOut = assigned.Where(a => a.IsTest).Select(a => a.Item.Key).ToHashSet(StringComparer.Ordinal);
        assigned = [.. assigned.Where(a => a.IsTest || a.Item.Corpus != TriageCorpora.CorrectionsCorpus || !heldOut.Contains(a.Item.Key))];
        string Group(LabelledText item) => recipe.BalanceAcrossCorpora ? "" : item.Corpus;
        var counts = assigned
            .Where(a => !a.IsTest)
            .GroupBy(a => Group(a.Item))
            .ToDictionary(g => g.Key, g => g.GroupBy(a => a.Item.Label).ToDictionary(l => l.Key, l => l.Count()));
        double RawWeight(LabelledText item)
        {
            var byLabel = counts[Group(item)];
            var largest = byLabel.Values.Max();
            return recipe.CorpusWeight(item.Corpus) * Math.Pow((double)largest / byLabel[item.Label], recipe.Balance);
        }
        var trainWeights = assigned.Where(a => !a.IsTest).Select(a => RawWeight(a.Item)).ToList();
        var scale = trainWeights.Count == 0 ? 1 : trainWeights.Count / trainWeights.Sum();
        return new TaskDataset(task, [.. assigned.Select(a => new SplitText(a.Item, a.IsTest, a.IsTest ? 0f : (float)(RawWeight(a.Item) * scale)))]);
    }
}
