using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MemberCare.Features.Triage.Training;

/// <summary>
/// The fixed train/test rule: a text is held out when the SHA-256 of its key falls in the first fifth of the range,
/// so its side never depends on the other texts, the machine or the run. Only a class that would otherwise have no
/// test text in its corpus has its lowest-hashed text moved to test, so every class of two or more texts is measured.
/// </summary>
public static class SplitRule
{
    public const int TestPercent = 20;

    public static ulong Hash(string key) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashesToTest(string key) => Hash("split:" + key) % 100 < TestPercent;

    /// <summary>A key for text that has no id: case and spacing do not make a different text.</summary>
    public static string TextKey(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static IReadOnlyList<(LabelledText Item, bool IsTest)> Assign(IEnumerable<LabelledText> items)
    {
        var assigned = items.Select(i => (Item: i, IsTest: i.PresetTest ?? HashesToTest(i.Key))).ToList();
        var moved = new HashSet<LabelledText>(ReferenceEqualityComparer.Instance);
        foreach (var group in assigned.Where(a => a.Item.PresetTest is null).GroupBy(a => (a.Item.Corpus, a.Item.Label)))
        {
            var members = group.ToList();
            if (members.Count >= 2 && members.All(m => !m.IsTest))
            {
                moved.Add(members.MinBy(m => Hash("split:" + m.Item.Key)).Item);
            }
        }
        return [.. assigned.Select(a => (a.Item, a.IsTest || moved.Contains(a.Item)))];
    }

    /// <summary>Keeps at most <paramref name="limit"/> texts, chosen by a hash independent of the split.</summary>
    public static IEnumerable<LabelledText> Sample(IEnumerable<LabelledText> items, int limit) =>
        items.OrderBy(i => Hash("sample:" + i.Key)).ThenBy(i => i.Key, StringComparer.Ordinal).Take(limit);
}
