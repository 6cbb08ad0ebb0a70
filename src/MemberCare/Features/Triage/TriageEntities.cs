using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MemberCare.Features.Triage;

/// <summary>The order details a message mentions, each list in the order the text names them, without repeats.</summary>
public sealed record TriageEntities(
    IReadOnlyList<string> OrderNumbers,
    IReadOnlyList<string> Skus,
    IReadOnlyList<string> Sizes,
    IReadOnlyList<string> Colours)
{
    public static TriageEntities None { get; } = new([], [], [], []);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteList(writer, "orderNumbers", OrderNumbers);
        WriteList(writer, "skus", Skus);
        WriteList(writer, "sizes", Sizes);
        WriteList(writer, "colours", Colours);
        writer.WriteEndObject();
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}

/// <summary>
/// Finds order numbers, SKUs, sizes and colours in English and Norwegian customer text. The patterns are the
/// definition; each runs only when the text holds what every match of it must hold (a run of digits, a hyphen, a
/// keyword), which is checked with a vectorised search, so most messages skip most patterns. Nothing is
/// allocated for a text that names none.
/// </summary>
public static partial class EntityFinder
{
    /// <summary>Every character <c>\d</c> matches (Unicode decimal digits), for the checks before the patterns that need digits.</summary>
    private static readonly SearchValues<char> s_digits = SearchValues.Create([.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsDigit)]);

    private static readonly SearchValues<char> s_sizeLetters = SearchValues.Create("SML");

    private static readonly IReadOnlyList<string> s_nothing = [];

    public static TriageEntities Find(string text, string language = TriageLabels.Unknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = DigitRun(text);
        var orders = OrderNumbers(text, digits);
        var skus = Skus(text, orders, digits);
        var sizes = Sizes(text, digits);
        var colours = Colours(text, language);
        return orders.Count + skus.Count + sizes.Count + colours.Count == 0
            ? TriageEntities.None
            : new TriageEntities(orders, skus, sizes, colours);
    }

    public static IReadOnlyList<string> OrderNumbers(string text) => OrderNumbers(text, DigitRun(text));

    public static IReadOnlyList<string> Skus(string text, IReadOnlyCollection<string>? orderNumbers = null) => Skus(text, orderNumbers, DigitRun(text));

    public static IReadOnlyList<string> Sizes(string text) => Sizes(text, DigitRun(text));

    /// <summary>The longest run of digits in the text, up to 4 (every order number holds four).</summary>
    private static int DigitRun(string text)
    {
        var span = text.AsSpan();
        var longest = 0;
        var at = span.IndexOfAny(s_digits);
        while (at >= 0)
        {
            var run = span[at..].IndexOfAnyExcept(s_digits);
            run = run < 0 ? span.Length - at : run;
            longest = Math.Max(longest, run);
            if (longest >= 4)
            {
                return longest;
            }
            span = span[(at + run)..];
            at = span.IndexOfAny(s_digits);
        }
        return longest;
    }

    private static IReadOnlyList<string> OrderNumbers(string text, int digitRun)
    {
        // Both alternatives end in \d{4,12}.
        if (digitRun < 4)
        {
            return s_nothing;
        }
        var found = new List<string>();
        foreach (Match match in OrderNumberPattern().Matches(text))
        {
            AddOnce(found, match.Groups["n"].Value.ToUpperInvariant());
        }
        return found;
    }

    private static IReadOnlyList<string> Skus(string text, IReadOnlyCollection<string>? orderNumbers, int digitRun)
    {
        // The alternatives need two hyphens, \d{4,8}, or a keyword: sku, art(ikkel), vare, item, article, style, product.
        if (digitRun < 4 && !text.Contains('-', StringComparison.Ordinal) && !SkuKeyword().IsMatch(text))
        {
            return s_nothing;
        }
        List<(int At, string Value)>? found = null;
        foreach (Match match in SkuPattern().Matches(text))
        {
            var value = match.Groups["s"].Value.ToUpperInvariant();
            // "order ORD12345" names an order, not an article.
            if (orderNumbers?.Contains(value) != true)
            {
                (found ??= []).Add((match.Groups["s"].Index, value));
            }
        }
        return InTextOrder(found);
    }

    private static IReadOnlyList<string> Sizes(string text, int digitRun)
    {
        List<(int At, string Value)>? found = null;
        foreach (Match match in LetterSizePattern().Matches(text))
        {
            (found ??= []).Add((match.Index, match.Value.ToUpperInvariant()));
        }
        foreach (Match match in NamedSizePattern().Matches(text))
        {
            var value = match.Groups["v"].Value;
            (found ??= []).Add((match.Groups["v"].Index, value.ToLowerInvariant() switch
            {
                "small" or "liten" => "S",
                "medium" => "M",
                "large" => "L",
                _ => value.Replace(',', '.').ToUpperInvariant(),
            }));
        }
        // "EU 38" and "W32/L34" need a digit; a bare "in M" needs a capital S, M or L after white space.
        if (digitRun > 0)
        {
            foreach (Match match in SystemSizePattern().Matches(text))
            {
                (found ??= []).Add((match.Index, $"{match.Groups["sys"].Value.ToUpperInvariant()} {match.Groups["v"].Value.Replace(',', '.')}"));
            }
            foreach (Match match in WaistLengthPattern().Matches(text))
            {
                (found ??= []).Add((match.Index, $"W{match.Groups["w"].Value}/L{match.Groups["l"].Value}"));
            }
        }
        if (HasSizeLetterAfterSpace(text))
        {
            foreach (Match match in BareLetterSizePattern().Matches(text))
            {
                (found ??= []).Add((match.Groups["v"].Index, match.Groups["v"].Value));
            }
        }
        return InTextOrder(found);
    }

    private static bool HasSizeLetterAfterSpace(ReadOnlySpan<char> text)
    {
        var from = 1;
        while (from < text.Length)
        {
            var at = text[from..].IndexOfAny(s_sizeLetters);
            if (at < 0)
            {
                return false;
            }
            from += at;
            if (char.IsWhiteSpace(text[from - 1]))
            {
                return true;
            }
            from++;
        }
        return false;
    }

    public static IReadOnlyList<string> Colours(string text, string language = TriageLabels.Unknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string>? found = null;
        var lookup = s_colours.GetAlternateLookup<ReadOnlySpan<char>>();
        var pairStarts = s_pairStarts.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = text.AsSpan();
        Span<char> pair = stackalloc char[64];
        var i = 0;
        while (i < span.Length)
        {
            if (!char.IsLetter(span[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < span.Length && (char.IsLetter(span[i]) || (span[i] == '-' && i + 1 < span.Length && char.IsLetter(span[i + 1]))))
            {
                i++;
            }
            var word = span[start..i];
            if (word.Length < 3 || word.Length > 24)
            {
                continue;
            }
            var next = NextWord(span, i, out var nextStart);
            // Only the first word of a two-word form ("navy blue", "off white") can begin a pair.
            if (!next.IsEmpty && word.Length + next.Length + 1 <= pair.Length && pairStarts.Contains(word))
            {
                word.CopyTo(pair);
                pair[word.Length] = ' ';
                next.CopyTo(pair[(word.Length + 1)..]);
                if (lookup.TryGetValue(pair[..(word.Length + 1 + next.Length)], out var twoWords))
                {
                    AddOnce(found ??= [], twoWords);
                    i = nextStart + next.Length;
                    continue;
                }
            }
            if (word.Length <= s_longestColour && lookup.TryGetValue(word, out var colour) && Applies(word, next, language))
            {
                AddOnce(found ??= [], colour);
            }
        }
        if (found is null)
        {
            return s_nothing;
        }
        return found;
    }

    // "sort" is Norwegian for black but an English verb ("sort this out"); "gold" is also a customer tier.
    private static bool Applies(ReadOnlySpan<char> word, ReadOnlySpan<char> next, string language) =>
        word.Equals("sort", StringComparison.OrdinalIgnoreCase)
            ? language == "no"
            : !word.Equals("gold", StringComparison.OrdinalIgnoreCase) || !s_tierWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next);

    private static ReadOnlySpan<char> NextWord(ReadOnlySpan<char> span, int from, out int start)
    {
        var i = from;
        start = from;
        while (i < span.Length && span[i] is ' ' or '-')
        {
            i++;
        }
        if (i == from || i >= span.Length || !char.IsLetter(span[i]))
        {
            return [];
        }
        start = i;
        while (i < span.Length && char.IsLetter(span[i]))
        {
            i++;
        }
        return span[start..i];
    }

    private static IReadOnlyList<string> InTextOrder(List<(int At, string Value)>? found)
    {
        if (found is null)
        {
            return s_nothing;
        }
        found.Sort((a, b) => a.At.CompareTo(b.At));
        var values = new List<string>(found.Count);
        foreach (var (_, value) in found)
        {
            AddOnce(values, value);
        }
        return values;
    }

    private static void AddOnce(List<string> values, string value)
    {
        if (!values.Contains(value))
        {
            values.Add(value);
        }
    }

    private static readonly FrozenSet<string> s_tierWords =
        new[] { "member", "members", "membership", "tier", "status", "customer", "medlem", "medlemskap", "kunde" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> s_colours = BuildColours();

    /// <summary>The first words of the colour names of two words, the only words a pair look-up can start from.</summary>
    private static readonly FrozenSet<string> s_pairStarts =
        s_colours.Keys.Where(k => k.Contains(' ', StringComparison.Ordinal)).Select(k => k[..k.IndexOf(' ', StringComparison.Ordinal)]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly int s_longestColour = s_colours.Keys.Max(k => k.Length);

    private static FrozenDictionary<string, string> BuildColours()
    {
        var names = new Dictionary<string, string[]>
        {
            ["black"] = ["black", "svart", "svarte", "svarta", "sort", "sorte"],
            ["white"] = ["white", "hvit", "hvite", "hvitt", "kvit", "kvite"],
            ["off-white"] = ["off-white", "off white", "offwhite", "ivory", "eggshell", "eggeskall", "benhvit"],
            ["navy"] = ["navy", "navy blue", "navy-blue", "marineblå", "marineblått", "marineblåe", "marine", "navyblå"],
            ["blue"] = ["blue", "blå", "blått", "blåe"],
            ["light blue"] = ["light blue", "light-blue", "pale blue", "baby blue", "lyseblå", "lyseblått", "lyseblåe"],
            ["dark blue"] = ["dark blue", "dark-blue", "mørkeblå", "mørkeblått", "mørkeblåe"],
            ["red"] = ["red", "rød", "rødt", "røde", "raud", "raudt", "raude"],
            ["burgundy"] = ["burgundy", "bordeaux", "wine red", "vinrød", "vinrødt", "vinrøde", "maroon"],
            ["green"] = ["green", "grønn", "grønt", "grønne", "grøn"],
            ["dark green"] = ["dark green", "mørkegrønn", "mørkegrønt", "mørkegrønne", "forest green", "bottle green"],
            ["olive"] = ["olive", "olive green", "oliven", "olivengrønn", "olivengrønt"],
            ["khaki"] = ["khaki", "kaki"],
            ["mint"] = ["mint", "mint green", "mintgrønn", "mintgrønt"],
            ["yellow"] = ["yellow", "gul", "gult", "gule"],
            ["mustard"] = ["mustard", "sennepsgul", "sennepsgult"],
            ["orange"] = ["orange", "oransje"],
            ["pink"] = ["pink", "rosa", "lyserosa", "light pink", "dusty pink", "blush"],
            ["purple"] = ["purple", "lilla", "fiolett", "violet"],
            ["lavender"] = ["lavender", "lavendel"],
            ["grey"] = ["grey", "gray", "grå", "grått", "gråe", "charcoal", "koksgrå", "lysegrå", "mørkegrå"],
            ["brown"] = ["brown", "brun", "brunt", "brune", "chocolate", "sjokoladebrun"],
            ["beige"] = ["beige", "sand", "sandfarget", "nude"],
            ["camel"] = ["camel", "kamel", "kamelfarget", "cognac", "konjakk"],
            ["cream"] = ["cream", "krem", "kremfarget", "kremhvit"],
            ["turquoise"] = ["turquoise", "turkis", "teal"],
            ["coral"] = ["coral", "korall", "korallrød"],
            ["gold"] = ["gold", "golden", "gull", "gullfarget"],
            ["silver"] = ["silver", "sølv", "sølvfarget"],
            ["multicolour"] = ["multicolour", "multicolor", "multicoloured", "multicolored", "flerfarget", "flerfarga"],
        };
        var byForm = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (colour, forms) in names)
        {
            foreach (var form in forms)
            {
                byForm[form] = colour;
            }
        }
        return byForm.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?<![\w#])#\s?(?<n>\d{4,12})\b|\b(?:order|ordre|bestilling|bestillingen|ordren|ordrenummer|ordrenr|ordernummer|ordernr|bestillingsnummer|bestillingsnr|purchase)\.?\s*(?:(?:nr|no|number|nummer|num|id|ref|reference)\.?\s*)?(?:[:#]\s*){0,2}(?<n>(?:[A-Z]{1,4}-?)?\d{4,12})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrderNumberPattern();

    [GeneratedRegex(@"(?-i:\b(?<s>[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,10}){2,5})\b)|(?-i:\b(?<s>[A-Z]{2,4}\d{4,8})\b)|\b(?:sku|art\.?\s*nr|artikkelnummer|artikkelnr|varenummer|varenr|item\s*(?:no|number|nr)|article\s*(?:no|number|nr)|style\s*(?:no|number|nr)|product\s*(?:code|no|number))\.?\s*[:#]?\s*(?<s>[A-Z0-9][A-Z0-9-]{3,24}[A-Z0-9])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();

    [GeneratedRegex(@"sku|art|vare|item|style|product", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkuKeyword();

    [GeneratedRegex(@"(?<![\w-])(?:XXS|XS|XL|XXL|XXXL|[2-5]XL|2XS)(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LetterSizePattern();

    [GeneratedRegex(@"\b(?:size|sz|str|strl|størrelse|størrelsen|storleik|storleiken|str\s?nr)\.?\s*[:.]?\s*(?<v>(?-i:S|M|L)|small|medium|large|liten|\d{1,2}(?:[.,]5)?)(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedSizePattern();

    [GeneratedRegex(@"\b(?<sys>[Ee][Uu]|UK|US)\s?(?<v>\d{1,2}(?:[.,]5)?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SystemSizePattern();

    [GeneratedRegex(@"\bW\s?(?<w>\d{2})\s?(?:/|x|\s)\s?L\s?(?<l>\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WaistLengthPattern();

    [GeneratedRegex(@"\b(?:in|i|a|an|en|et|the|one|som)\s+(?<v>S|M|L)(?![\w&'-]|\.\w)", RegexOptions.CultureInvariant)]
    private static partial Regex BareLetterSizePattern();
}
