using System.Text.Json;
using MemberCare.Features.Triage;

namespace MemberCare.Tests.Triage;

public sealed class EntityFinderTests
{
    [Theory]
    [InlineData("Hi, I ordered the linen shirt (order #10234) and got a navy one", "10234")]
    [InlineData("my parcel came today but the bikini bottoms are missing. order 55821", "55821")]
    [InlineData("Order number: 778812 still not here", "778812")]
    [InlineData("order no. 20455, please help", "20455")]
    [InlineData("Regarding order nr 33012", "33012")]
    [InlineData("Order ID ORD-99812 was charged twice", "ORD-99812")]
    [InlineData("Hei, ordre nr 10234 har ikke kommet", "10234")]
    [InlineData("Ordrenummer: 4455667, feil størrelse", "4455667")]
    [InlineData("Jeg har bestilling 10234 som ikke er levert", "10234")]
    [InlineData("Bestillingsnummer #882211", "882211")]
    [InlineData("Hvor er ordren 12345?", "12345")]
    [InlineData("ordre: #56789 mangler en vare", "56789")]
    public void Finds_the_order_number(string text, string expected) =>
        Assert.Equal([expected], EntityFinder.Find(text).OrderNumbers);

    [Fact]
    public void Finds_several_order_numbers_once_each_in_the_order_they_appear()
    {
        var found = EntityFinder.Find("Orders #10234 and #10240 are late; order 10234 was paid first").OrderNumbers;
        Assert.Equal(["10234", "10240"], found);
    }

    [Theory]
    [InlineData("I ordered 2 shirts and 3 pairs of socks")]
    [InlineData("I have been waiting since 2024, is that an order of magnitude too long?")]
    [InlineData("Call me on #12 please")]
    [InlineData("Jeg bestilte 3 kjoler i går")]
    public void Finds_no_order_number_where_there_is_none(string text) =>
        Assert.Empty(EntityFinder.Find(text).OrderNumbers);

    [Theory]
    [InlineData("The LIN-SHIRT-WHT-M arrived torn", "LIN-SHIRT-WHT-M")]
    [InlineData("Is AB12345 back in stock?", "AB12345")]
    [InlineData("Artikkel DRS-MIDI-BLK-38 var feil", "DRS-MIDI-BLK-38")]
    [InlineData("sku: 4411-223 is missing", "4411-223")]
    [InlineData("Varenummer 778899 finnes ikke", "778899")]
    [InlineData("item number KN20931 please", "KN20931")]
    public void Finds_the_sku(string text, string expected) =>
        Assert.Contains(expected, EntityFinder.Find(text).Skus);

    [Theory]
    [InlineData("I love this T-shirt, thanks")]
    [InlineData("Order ORD-10234 is late")]
    [InlineData("COVID-19 delayed my parcel")]
    public void Finds_no_sku_in_ordinary_words(string text) =>
        Assert.Empty(EntityFinder.Find(text).Skus);

    [Theory]
    [InlineData("I ordered size M but got XL", new[] { "M", "XL" })]
    [InlineData("got a navy one in XL instead", new[] { "XL" })]
    [InlineData("ordered EU 40 sneakers, box says 40 but the shoes inside are EU 38", new[] { "EU 40", "EU 38" })]
    [InlineData("Jeg bestilte str. 40 men fikk str 42", new[] { "40", "42" })]
    [InlineData("jeans W32/L34 are too short", new[] { "W32/L34" })]
    [InlineData("W30 L32 would fit better", new[] { "W30/L32" })]
    [InlineData("I usually wear a size 10 and this is tight", new[] { "10" })]
    [InlineData("Could I swap it for a medium? Size small is too tight", new[] { "S" })]
    [InlineData("Kjolen i XS er for liten, trenger S", new[] { "XS" })]
    [InlineData("Kan jeg bytte til størrelse 38?", new[] { "38" })]
    [InlineData("it came in a L but I ordered an M", new[] { "L", "M" })]
    [InlineData("xxl is way too big, need 2XL in the other style", new[] { "XXL", "2XL" })]
    [InlineData("UK 8 fits like a UK 12", new[] { "UK 8", "UK 12" })]
    [InlineData("skoene i eu 41 er for små", new[] { "EU 41" })]
    public void Finds_the_sizes(string text, string[] expected) =>
        Assert.Equal(expected, EntityFinder.Find(text).Sizes);

    [Theory]
    [InlineData("I am not happy with the service")]
    [InlineData("Send it to us 5 days ago")]
    [InlineData("I live in L.A. and it has not come")]
    [InlineData("M&S sells this cheaper")]
    public void Finds_no_size_in_ordinary_words(string text) =>
        Assert.Empty(EntityFinder.Find(text).Sizes);

    [Theory]
    [InlineData("I ordered black and got white", "en", new[] { "black", "white" })]
    [InlineData("got a navy one instead of the red", "en", new[] { "navy", "red" })]
    [InlineData("Bestilte svart, fikk hvit", "no", new[] { "black", "white" })]
    [InlineData("Den marineblå jakken var rød på bildet", "no", new[] { "navy", "red" })]
    [InlineData("De røde buksene ble rosa i vask", "no", new[] { "red", "pink" })]
    [InlineData("beige or off-white would be nice", "en", new[] { "beige", "off-white" })]
    [InlineData("the light blue shirt is darker than the navy blue one", "en", new[] { "light blue", "navy" })]
    [InlineData("Eg fekk ein kvit genser, ikkje grå", "no", new[] { "white", "grey" })]
    [InlineData("Jeg ville ha den sorte kjolen, ikke den grønne", "no", new[] { "black", "green" })]
    [InlineData("lyseblå og mørkeblå skjorter", "no", new[] { "light blue", "dark blue" })]
    [InlineData("The grey GRAY and gray", "en", new[] { "grey" })]
    public void Finds_the_colours_in_english_and_norwegian(string text, string language, string[] expected) =>
        Assert.Equal(expected, EntityFinder.Find(text, language).Colours);

    [Theory]
    [InlineData("Can you sort this out please?", "en")]
    [InlineData("I am a gold member and this is not good enough", "en")]
    [InlineData("Thanks, redeemed the voucher", "en")]
    public void Finds_no_colour_in_words_that_only_look_like_one(string text, string language) =>
        Assert.Empty(EntityFinder.Find(text, language).Colours);

    [Fact]
    public void Finds_sort_as_black_in_norwegian_text() =>
        Assert.Equal(["black"], EntityFinder.Find("Jeg fikk en sort kjole", "no").Colours);

    [Fact]
    public void Finds_every_kind_in_one_message()
    {
        var entities = EntityFinder.Find(
            "Hi, I ordered the LIN-SHIRT-WHT-M in white size M (order #10234) and got a navy one in XL instead.", "en");
        Assert.Equal(["10234"], entities.OrderNumbers);
        Assert.Equal(["LIN-SHIRT-WHT-M"], entities.Skus);
        Assert.Equal(["M", "XL"], entities.Sizes);
        Assert.Equal(["white", "navy"], entities.Colours);
    }

    [Fact]
    public void Writes_the_entities_as_json_with_all_four_lists() =>
        Assert.Equal("""{"orderNumbers":["10234"],"skus":[],"sizes":["M"],"colours":["black"]}""",
            EntityFinder.Find("order 10234 in black, size M").ToJson());

    [Fact]
    public void Every_labelled_message_names_the_entities_it_named_when_every_pattern_ran_on_every_text()
    {
        // Recorded before the finder learned to skip the patterns a text cannot match: 430 labelled care messages
        // (English and Norwegian) that name at least one entity, with the language triage gave them.
        var checkedLines = 0;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Triage", "EntityFinderExpected.jsonl")))
        {
            using var expected = JsonDocument.Parse(line);
            var root = expected.RootElement;
            var found = EntityFinder.Find(root.GetProperty("text").GetString()!, root.GetProperty("language").GetString()!);
            var entities = root.GetProperty("entities");
            Assert.Equal(Strings(entities, "orderNumbers"), found.OrderNumbers);
            Assert.Equal(Strings(entities, "skus"), found.Skus);
            Assert.Equal(Strings(entities, "sizes"), found.Sizes);
            Assert.Equal(Strings(entities, "colours"), found.Colours);
            checkedLines++;
        }
        Assert.Equal(430, checkedLines);
    }

    private static string[] Strings(JsonElement entities, string list) =>
        [.. entities.GetProperty(list).EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [InlineData("order \u0663\u0664\u0665\u0666\u0667 is late", "en", """{"orderNumbers":["\u0663\u0664\u0665\u0666\u0667"],"skus":[],"sizes":[],"colours":[]}""")]
    [InlineData("item no ABCDEF came broken", "en", """{"orderNumbers":[],"skus":["ABCDEF"],"sizes":[],"colours":[]}""")]
    [InlineData("Varenr: KJOLE, finnes den i str. 38?", "no", """{"orderNumbers":[],"skus":["KJOLE"],"sizes":["38"],"colours":[]}""")]
    [InlineData("I'd like it in\tM please", "en", """{"orderNumbers":[],"skus":[],"sizes":["M"],"colours":[]}""")]
    [InlineData("M is what I ordered, not in L", "en", """{"orderNumbers":[],"skus":[],"sizes":["L"],"colours":[]}""")]
    [InlineData("EU 38 and W32/L34, both in Light Blue", "en", """{"orderNumbers":[],"skus":[],"sizes":["EU 38","W32/L34"],"colours":["light blue"]}""")]
    [InlineData("the NAVY-BLUE one, not off white", "en", """{"orderNumbers":[],"skus":[],"sizes":[],"colours":["navy","off-white"]}""")]
    [InlineData("no digits, no hyphen, no keyword here", "en", """{"orderNumbers":[],"skus":[],"sizes":[],"colours":[]}""")]
    public void Finds_what_the_patterns_match_in_texts_the_checks_before_them_must_let_through(string text, string language, string expected) =>
        Assert.Equal(expected, EntityFinder.Find(text, language).ToJson());
}
