using MemberCare.Features.Triage.Training;

namespace MemberCare.Tests.Triage;

public sealed class TrainingSplitTests
{
    private static LabelledText Text(string key, string label, string corpus = "c") => new(key, label, corpus, key, Real: true);

    [Fact]
    public void The_split_of_a_text_depends_only_on_its_key()
    {
        var keys = Enumerable.Range(0, 500).Select(i => $"message {i}").ToList();
        var first = keys.Select(SplitRule.HashesToTest).ToList();
        var again = keys.AsEnumerable().Reverse().Select(SplitRule.HashesToTest).Reverse().ToList();

        Assert.Equal(first, again);
        Assert.InRange(first.Count(t => t), 70, 130);
    }

    [Fact]
    public void The_split_rule_is_pinned_so_held_out_texts_stay_held_out_across_versions()
    {
        Assert.Equal(0x85cc501e2b865afcUL, SplitRule.Hash("split:clothing:0"));
        Assert.False(SplitRule.HashesToTest("clothing:0"));
        Assert.True(SplitRule.HashesToTest("clothing:14"));
    }

    [Fact]
    public void Assigning_the_same_texts_in_another_order_gives_the_same_split()
    {
        var items = Enumerable.Range(0, 300).Select(i => Text($"t{i}", i % 3 == 0 ? "a" : "b")).ToList();

        var forward = SplitRule.Assign(items).ToDictionary(a => a.Item.Key, a => a.IsTest);
        var backward = SplitRule.Assign(items.AsEnumerable().Reverse()).ToDictionary(a => a.Item.Key, a => a.IsTest);

        Assert.Equal(forward.OrderBy(p => p.Key), backward.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_class_with_no_text_on_the_test_side_gets_its_lowest_hashed_text_moved_there()
    {
        var rare = Enumerable.Range(0, 200).Select(i => $"rare {i}").Where(k => !SplitRule.HashesToTest(k)).Take(3).ToList();
        var items = rare.Select(k => Text(k, "rare")).Concat(Enumerable.Range(0, 50).Select(i => Text($"common {i}", "common"))).ToList();

        var assigned = SplitRule.Assign(items);

        var rareTest = assigned.Where(a => a.Item.Label == "rare" && a.IsTest).Select(a => a.Item.Key).ToList();
        Assert.Equal([rare.MinBy(k => SplitRule.Hash("split:" + k))!], rareTest);
    }

    [Fact]
    public void A_corpus_with_its_own_split_keeps_it()
    {
        var items = Enumerable.Range(0, 40).Select(i => Text($"n{i}", "x") with { PresetTest = i < 10 }).ToList();

        var assigned = SplitRule.Assign(items);

        Assert.Equal(10, assigned.Count(a => a.IsTest));
        Assert.All(assigned, a => Assert.Equal(a.Item.PresetTest, a.IsTest));
    }

    [Fact]
    public void Training_weights_balance_classes_within_a_corpus_and_average_one()
    {
        var items = Enumerable.Range(0, 400).Select(i => Text($"k{i}", i % 4 == 0 ? "few" : "many")).ToList();
        var recipe = TriageRecipes.Chosen(TriageTask.Sentiment) with { Balance = 1 };

        var dataset = TriageDatasets.Build(TriageTask.Sentiment, items, recipe);

        var train = dataset.Train.ToList();
        Assert.Equal(1.0, train.Average(r => r.Weight), 3);
        Assert.Equal(train.Where(r => r.Label == "few").Sum(r => r.Weight), train.Where(r => r.Label == "many").Sum(r => r.Weight), 1);
        Assert.All(dataset.Test, r => Assert.Equal(0f, r.Weight));
    }

    [Fact]
    public void A_report_counts_precision_recall_and_macro_f1_over_the_gold_classes()
    {
        ClassificationReport.Outcome O(string gold, string predicted) => new(gold, predicted, 6);
        var report = ClassificationReport.Of("m", "c", [O("a", "a"), O("a", "a"), O("a", "b"), O("b", "b"), O("b", "c")], ["a", "b", "c"]);

        var a = report.Classes.Single(c => c.Label == "a");
        var b = report.Classes.Single(c => c.Label == "b");
        Assert.Equal((1.0, 2.0 / 3), (a.Precision, a.Recall));
        Assert.Equal((0.5, 0.5), (b.Precision, b.Recall));
        Assert.Equal((0.8 + 0.5) / 2, report.MacroF1, 6);
        Assert.Equal(0.6, report.Accuracy, 6);
        Assert.Equal([2, 1, 0], report.Confusion[0]);
        Assert.Equal([0, 1, 1], report.Confusion[1]);
    }
}
