using System.Globalization;

namespace MemberCare.Features.Triage;

/// <summary>
/// Holds the fast scorer to ML.NET's own scores on texts that exercise what the featurizer must reproduce:
/// case, punctuation inside and between words, digits, diacritics of the eight languages, emoji, tabs and line
/// breaks, runs of spaces, a text that is all punctuation, and long texts.
/// </summary>
public static class FastPathCheck
{
    public const double Tolerance = 1e-4;
    public const double ConfidenceTolerance = 1e-3;

    private static readonly string[] s_texts =
    [
        "Where is my order #10234? It hasn't arrived yet!!",
        "hvor er pakken min? Den skulle komme i går, ordrenummer 55812",
        "Jeg har fått feil størrelse på boblejakken, kan jeg bytte til M?",
        "Var är mitt paket? Jag beställde för två veckor sedan.",
        "Hvor er min pakke? Jeg bestilte den for en uge siden, og den er ikke kommet.",
        "Wo ist meine Bestellung? Die Größe passt überhaupt nicht, ich möchte sie zurückschicken.",
        "Où est ma commande ? Je l'ai payée il y a dix jours, c'est très décevant.",
        "¿Dónde está mi pedido? La cremallera se rompió después de un lavado.",
        "Onde está o meu pedido? O produto chegou com defeito e não funciona.",
        "The zip broke after one wash. Poor quality!!! Want a refund ASAP",
        "I LOVE this dress 😍😍 gorgeous colour, fits perfectly (size 8)",
        "ok",
        "👍",
        "??",
        "!!!",
        "",
        "   ",
        "takk",
        "order #10234?",
        "Hi,\n\nmy card was charged twice\tfor order 88213 — please fix.\r\nThanks, Anna",
        "can't log in to my account, the app says 'error 500' / password reset link doesn't work",
        "a|b c|d || x",
        "Æ Ø Å æøå ÄÖÜ äöüß ÉÈÊ ñ ç",
        "Returned item SKU AB-1234-XL on 03.11.2026; refund of 599,00 kr still missing...",
        "size S/M? 38/40? the sleeves are too long & the waist too tight",
        "Kjempefornøyd med kundeservice, tusen takk for rask hjelp! Anbefales!!",
        "Fin kjole, men den var litt for liten. Måtte returnere den, dessverre.",
    ];

    /// <summary>"on, ..." when every check text agrees within the tolerances, else "off: ..." saying where it did not.</summary>
    public static string Compare(FastTriageScorer fast, ModelHead concern, ModelHead sentiment, ModelHead language)
    {
        ArgumentNullException.ThrowIfNull(fast);
        ArgumentNullException.ThrowIfNull(concern);
        ArgumentNullException.ThrowIfNull(sentiment);
        ArgumentNullException.ThrowIfNull(language);
        ModelHead[] heads = [concern, sentiment, language];
        IReadOnlyList<string>[] fastLabels = [fast.ConcernLabels, fast.SentimentLabels, fast.LanguageLabels];
        for (var h = 0; h < heads.Length; h++)
        {
            if (!heads[h].Labels.SequenceEqual(fastLabels[h]))
            {
                return $"off: the {heads[h].Name} labels differ";
            }
        }
        var texts = s_texts.Concat([string.Join(" ", s_texts), string.Concat(Enumerable.Repeat(s_texts[0] + " ", 40))]).ToArray();
        var largest = 0.0;
        foreach (var text in texts)
        {
            var ours = fast.Probabilities(text);
            for (var h = 0; h < heads.Length; h++)
            {
                var theirs = heads[h].Scores(text);
                var difference = ours[h].Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
                largest = Math.Max(largest, difference);
                if (difference <= Tolerance)
                {
                    continue;
                }
                var ourBest = Array.IndexOf(ours[h], ours[h].Max());
                var theirBest = Array.IndexOf(theirs, theirs.Max());
                if (ourBest != theirBest || Math.Abs(ours[h][ourBest] - theirs[theirBest]) > ConfidenceTolerance)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"off: {heads[h].Name} differs from ML.NET by {difference:G3} on \"{Shorten(text)}\"");
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"on: {texts.Length} check texts agree with ML.NET within {largest:G3}");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
