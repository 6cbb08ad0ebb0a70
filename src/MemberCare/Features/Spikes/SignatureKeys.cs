using System.Text.Json;
using MemberCare.Domain.Spikes;

namespace MemberCare.Features.Spikes;

public sealed record SignatureKey(string Signature, SignatureKind Kind, string Label);

/// <summary>What detection knows about an order a message refers to.</summary>
public sealed record OrderFacts(string Number, string? Carrier, string? Warehouse, IReadOnlyList<OrderLineFacts> Lines);

public sealed record OrderLineFacts(string Sku, string? Supplier);

/// <summary>
/// The signatures one triaged message counts under: its concern, and its concern with each SKU, supplier, carrier,
/// warehouse or site area it involves, and with each of its text's MinHash band keys.
/// </summary>
public static class SignatureKeys
{
    private const int MaxValue = 80;

    private static readonly (string Area, string[] Words)[] s_areas =
    [
        ("checkout", ["checkout", "check out", "kassen", "kasse", "bestille", "place order", "order button"]),
        ("cart", ["cart", "basket", "handlekurv", "handlevogn"]),
        ("login", ["login", "log in", "logg inn", "logget inn", "logge inn", "innlogging", "sign in", "password", "passord", "logget ut", "logged out"]),
        ("search", ["search", "søk", "filter", "finner ikke produkt"]),
        ("payment", ["payment", "pay ", "card", "kort", "vipps", "klarna", "betaling", "betale", "paypal"]),
        ("app", [" app", "appen", "ios", "android", "iphone"]),
        ("discount", ["discount code", "promo code", "rabattkode", "gift card", "gavekort", "voucher"]),
    ];

    public static List<SignatureKey> For(string concern, string text, string? entitiesJson, IReadOnlyList<OrderFacts> orders, bool textClusters)
    {
        var keys = new List<SignatureKey> { new(concern, SignatureKind.Concern, concern) };
        var seen = new HashSet<string>(StringComparer.Ordinal) { concern };
        void Add(SignatureKind kind, string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }
            var v = value.Trim();
            v = v.Length > MaxValue ? v[..MaxValue] : v;
            var signature = $"{concern}|{name}:{(kind == SignatureKind.Sku ? v.ToUpperInvariant() : v.ToLowerInvariant())}";
            if (seen.Add(signature))
            {
                keys.Add(new SignatureKey(signature, kind, $"{concern} · {name} {v}"));
            }
        }

        var skus = Skus(entitiesJson);
        foreach (var sku in skus)
        {
            Add(SignatureKind.Sku, "sku", sku);
        }
        foreach (var order in orders)
        {
            // A message about a one-line order is about that line; with several lines only the named SKUs count.
            var lines = order.Lines.Count == 1 ? order.Lines : order.Lines.Where(l => skus.Contains(l.Sku, StringComparer.OrdinalIgnoreCase)).ToList();
            foreach (var line in lines)
            {
                Add(SignatureKind.Sku, "sku", line.Sku);
            }
            foreach (var supplier in (lines.Count > 0 ? lines : order.Lines).Select(l => l.Supplier).Distinct())
            {
                Add(SignatureKind.Supplier, "supplier", supplier);
            }
            Add(SignatureKind.Carrier, "carrier", order.Carrier);
            Add(SignatureKind.Warehouse, "warehouse", order.Warehouse);
        }
        if (concern is "website_app" or "payment_billing" or "account")
        {
            foreach (var area in SiteAreas(text))
            {
                Add(SignatureKind.SiteArea, "area", area);
            }
        }
        if (textClusters)
        {
            var bands = TextSketch.BandHashes(text);
            for (var b = 0; b < bands.Length; b++)
            {
                var key = Text(concern, b, bands[b], text);
                if (seen.Add(key.Signature))
                {
                    keys.Add(key);
                }
            }
        }
        return keys;
    }

    /// <summary>The signature of a text band: <c>concern|text:band:hash</c>, labelled with the text's first words.</summary>
    public static SignatureKey Text(string concern, int band, ulong hash, string text) =>
        new($"{concern}|text:{TextSketch.Key(band, hash)}", SignatureKind.Text, $"{concern} · \u201c{Excerpt(text)}\u201d");

    /// <summary>The kind a stored signature was made with, read back from its name.</summary>
    public static SignatureKind KindOf(string signature)
    {
        var bar = signature.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return SignatureKind.Concern;
        }
        var name = signature[(bar + 1)..].Split(':', 2)[0];
        return name switch
        {
            "sku" => SignatureKind.Sku,
            "supplier" => SignatureKind.Supplier,
            "carrier" => SignatureKind.Carrier,
            "warehouse" => SignatureKind.Warehouse,
            "area" => SignatureKind.SiteArea,
            _ => SignatureKind.Text,
        };
    }

    public static string ConcernOf(string signature) => signature.Split('|', 2)[0];

    /// <summary>A readable name for a signature known only by its key; alerts carry the tipping message's own label.</summary>
    public static string LabelOf(string signature)
    {
        var parts = signature.Split('|', 2);
        if (parts.Length == 1)
        {
            return signature;
        }
        var nameValue = parts[1].Split(':', 2);
        return KindOf(signature) == SignatureKind.Text ? $"{parts[0]} · text cluster {nameValue[^1]}" : $"{parts[0]} · {nameValue[0]} {nameValue[^1]}";
    }

    public static IReadOnlyList<string> SiteAreas(string text)
    {
        var lower = " " + text.ToLowerInvariant() + " ";
        return [.. s_areas.Where(a => a.Words.Any(w => lower.Contains(w, StringComparison.Ordinal))).Select(a => a.Area)];
    }

    public static IReadOnlyList<string> OrderNumbers(string? entitiesJson) => List(entitiesJson, "orderNumbers");

    public static IReadOnlyList<string> Skus(string? entitiesJson) => List(entitiesJson, "skus");

    private static List<string> List(string? entitiesJson, string name)
    {
        if (string.IsNullOrEmpty(entitiesJson))
        {
            return [];
        }
        try
        {
            using var document = JsonDocument.Parse(entitiesJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            return [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Excerpt(string text)
    {
        var words = text.Split((char[]?)null, 10, StringSplitOptions.RemoveEmptyEntries);
        var excerpt = string.Join(' ', words.Take(9));
        return excerpt.Length > 100 ? excerpt[..100] : excerpt;
    }
}
