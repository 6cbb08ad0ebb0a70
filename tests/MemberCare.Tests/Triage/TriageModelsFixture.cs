using MemberCare.Features.Triage;

namespace MemberCare.Tests.Triage;

/// <summary>Small models trained once per test run into temp folders: "v1" and a second set "v2" to swap to.</summary>
public static class TrainedModels
{
    private static readonly Lazy<string> s_v1 = new(() => TrainInto("v1", TriageExamples.Lines));
    private static readonly Lazy<string> s_v2 = new(() => TrainInto("v2", [.. TriageExamples.Lines, .. TriageExamples.MoreLines]));

    /// <summary>A folder holding concern.zip, sentiment.zip, language.zip and a manifest with version "v1".</summary>
    public static string V1 => s_v1.Value;

    /// <summary>A second set trained on more lines, with version "v2".</summary>
    public static string V2 => s_v2.Value;

    public static string EmptyFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "membercare-tests", "models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void CopyInto(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var name in new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language, TriageModelFiles.Manifest })
        {
            File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
        }
    }

    private static string TrainInto(string version, IReadOnlyList<LabelledLine> lines)
    {
        var folder = Path.Combine(Path.GetTempPath(), "membercare-tests", $"models-{version}-{Environment.ProcessId}");
        SmallModelTrainer.Train(lines, folder, version);
        return folder;
    }
}

/// <summary>A few dozen labelled lines in English, Norwegian (Bokmål and Nynorsk labelled nb and nn), Swedish and German.</summary>
public static class TriageExamples
{
    public static IReadOnlyList<LabelledLine> Lines { get; } =
    [
        new("Where is my order? It has been two weeks and the tracking has not moved", "where_is_my_order", "negative", "en"),
        new("My parcel still has not arrived, the tracking says in transit since Monday", "where_is_my_order", "negative", "en"),
        new("Hi, when will my order be delivered? I ordered last week", "where_is_my_order", "neutral", "en"),
        new("Hvor er pakken min? Jeg bestilte for to uker siden og sporingen står stille", "where_is_my_order", "negative", "nb"),
        new("Når kommer bestillingen min? Den skulle vært her i går", "where_is_my_order", "negative", "nb"),
        new("Kvar er pakken min? Eg bestilte for to veker sidan", "where_is_my_order", "negative", "nn"),
        new("I ordered the linen shirt in white size M and got a navy one in XL instead", "wrong_or_missing_item", "negative", "en"),
        new("The bikini bottoms are missing from my parcel, only the top was in the bag", "wrong_or_missing_item", "negative", "en"),
        new("Jeg fikk feil vare, bestilte svart kjole i str. 38 men fikk en rød", "wrong_or_missing_item", "negative", "nb"),
        new("The box was crushed and the dress inside was torn and dirty", "damaged_item", "negative", "en"),
        new("Pakken var ødelagt og genseren hadde et hull", "damaged_item", "negative", "nb"),
        new("The fabric started pilling after one wash and the seams came apart", "product_quality", "negative", "en"),
        new("Genseren nuppet seg etter første vask, dårlig kvalitet", "product_quality", "negative", "nb"),
        new("It runs really small, I normally wear a medium but this is tight everywhere", "sizing_fit", "negative", "en"),
        new("Buksene er altfor lange og store i livet, trenger en mindre størrelse", "sizing_fit", "negative", "nb"),
        new("The colour looks nothing like the photos, it is much darker in real life", "not_as_described", "negative", "en"),
        new("I wish this came in more colours and a longer length", "style_feedback", "neutral", "en"),
        new("I want to return these jeans, how do I get a return label?", "return_refund", "neutral", "en"),
        new("I sent the return three weeks ago and still no refund", "return_refund", "negative", "en"),
        new("Jeg vil returnere skoene, hvordan gjør jeg det?", "return_refund", "neutral", "nb"),
        new("Please cancel my order, I ordered the wrong size by mistake", "order_change", "neutral", "en"),
        new("Can I change the delivery address on my order?", "order_change", "neutral", "en"),
        new("I was charged twice for the same order, please refund one payment", "payment_billing", "negative", "en"),
        new("The discount code does not work at checkout", "payment_billing", "negative", "en"),
        new("The website crashes when I try to pay, checkout shows an error", "website_app", "negative", "en"),
        new("I cannot log in to my account, the password reset email never comes", "account", "negative", "en"),
        new("Is this dress available in a size 40 and is it machine washable?", "product_question", "neutral", "en"),
        new("Er denne jakken vanntett? Og finnes den i marineblå?", "product_question", "neutral", "nb"),
        new("Nobody answers my emails, this is the third time I write, terrible service", "service_complaint", "negative", "en"),
        new("Absolutely love the dress, fits perfectly and the quality is amazing!", "praise", "positive", "en"),
        new("Thank you so much, great service and fast delivery", "praise", "positive", "en"),
        new("Kjempefornøyd med kjolen, passer perfekt og god kvalitet!", "praise", "positive", "nb"),
        new("Tusen takk for rask levering, veldig fornøyd", "praise", "positive", "nb"),
        new("Eg er svært nøgd med jakka, takk skal de ha", "praise", "positive", "nn"),
        new("Var är mitt paket? Jag beställde för två veckor sedan", "where_is_my_order", "negative", "sv"),
        new("Jag älskar klänningen, den passar perfekt", "praise", "positive", "sv"),
        new("Wo ist meine Bestellung? Ich warte seit zwei Wochen auf das Paket", "where_is_my_order", "negative", "de"),
        new("Ich liebe das Kleid, es passt perfekt und die Qualität ist toll", "praise", "positive", "de"),
        new("Do you sell gift cards?", "other", "neutral", "en"),
    ];

    public static IReadOnlyList<LabelledLine> MoreLines { get; } =
    [
        new("Still waiting for my package, the delivery date was yesterday", "where_is_my_order", "negative", "en"),
        new("Got the wrong colour, I ordered black and received white", "wrong_or_missing_item", "negative", "en"),
        new("The zip broke the first time I wore it", "product_quality", "negative", "en"),
        new("Such a beautiful top, I get compliments every time", "praise", "positive", "en"),
        new("Hvor blir det av pakken? Har ventet en uke", "where_is_my_order", "negative", "nb"),
    ];
}
