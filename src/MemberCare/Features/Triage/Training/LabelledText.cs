namespace MemberCare.Features.Triage.Training;

/// <summary>The three things triage learns: which model a labelled text trains.</summary>
public enum TriageTask
{
    Concern,
    Sentiment,
    Language,
}

/// <summary>
/// One labelled text for one model. <paramref name="Corpus"/> names where it came from (each corpus is reported
/// separately); <paramref name="Key"/> is what the split rule hashes; <paramref name="Real"/> says whether
/// customers wrote it (as opposed to text generated from templates); <paramref name="PresetTest"/> is the
/// corpus's own split when it has one (NoReC's train and dev).
/// </summary>
public sealed record LabelledText(string Text, string Label, string Corpus, string Key, bool Real, bool? PresetTest = null)
{
    public int WordCount => CountWords(Text);

    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letterOrDigit = char.IsLetterOrDigit(c);
            if (letterOrDigit && !inWord)
            {
                count++;
            }
            inWord = letterOrDigit;
        }
        return count;
    }
}

/// <summary>A labelled text with the side of the split it fell on and its training weight.</summary>
public sealed record SplitText(LabelledText Item, bool IsTest, float Weight)
{
    public string Text => Item.Text;

    public string Label => Item.Label;

    public string Corpus => Item.Corpus;
}

/// <summary>Everything one model is trained and tested on.</summary>
public sealed record TaskDataset(TriageTask Task, IReadOnlyList<SplitText> Rows)
{
    public IEnumerable<SplitText> Train => Rows.Where(r => !r.IsTest);

    public IEnumerable<SplitText> Test => Rows.Where(r => r.IsTest);

    public IReadOnlyList<string> Corpora => [.. Rows.Select(r => r.Corpus).Distinct()];

    public IReadOnlyList<string> Labels => [.. Rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal)];
}
